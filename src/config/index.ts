export {
  type BlobStoreConfig,
  type Config,
  ConfigError,
  type IntakeGateSettings,
  type Limits,
  loadConfig,
} from './config.js';
