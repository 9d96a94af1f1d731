export type { Kysely, Transaction } from 'kysely';
export {
  type Db,
  type Dialect,
  migrateToLatest,
  openDatabase,
  pingDatabase,
  withDefaultUser,
} from './database.js';
export {
  flushDeleted,
  forUpdate,
  isPostgres,
  jsonText,
  secondsBetween,
  snapshotTransaction,
  vacuumTables,
} from './dialect.js';
export type * from './schema.js';
export { isDatabaseUnavailable, unavailableReason } from './unavailable.js';
