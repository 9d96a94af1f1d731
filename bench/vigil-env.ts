/** The adaptive proof-of-work's thresholds set out of reach: no challenge is ever asked. */
export const BENCH_POW_OFF = {
  VIGIL_POW_QUIET_PER_HOUR: '1000000',
  VIGIL_POW_ADDRESS_FREE_PER_HOUR: '1000000',
} as const;

/**
 * The environment a bench gives Vigil: its shipped limits, with the rate limits and the adaptive
 * proof-of-work off (a bench sends far more than one finder would), no outbox worker and no logs,
 * on `dataDir`.
 */
export const benchVigilEnv = (dataDir: string): Record<string, string> => ({
  VIGIL_DATA_DIR: dataDir,
  VIGIL_PUBLIC_URL: 'http://127.0.0.1',
  VIGIL_RATE_LIMIT_PER_MINUTE: '0',
  ...BENCH_POW_OFF,
  VIGIL_SMTP_PER_SENDER_PER_HOUR: '0',
  VIGIL_WORKER: 'false',
  LOG_LEVEL: 'silent',
});
