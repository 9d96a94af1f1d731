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
export {
  createMigrator,
  knownMigrations,
  type MigrationState,
  migrationStates,
  pendingMigrations,
  runMigrations,
} from './migrate.js';
export { beginRowRestore, type RowRestore } from './row-restore.js';
export type * from './schema.js';
export {
  byteColumns,
  columnValues,
  type RewrapBatch,
  rewrapColumnBatch,
  sealedColumns,
  sealedKeyCounts,
  type TableColumn,
} from './sealed-columns.js';
export {
  type BlobReference,
  inspectSqliteFile,
  nonEmptyReason,
  type SnapshotFacts,
  type SnapshotSink,
  snapshotDatabase,
} from './snapshot.js';
export { isDatabaseUnavailable, unavailableReason } from './unavailable.js';
