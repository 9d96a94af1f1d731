export { type Config, ConfigError, type Limits, loadConfig } from './config.js';
