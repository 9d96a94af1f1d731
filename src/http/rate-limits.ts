import type { Config } from '../config/index.js';

/**
 * Route-level rate limits of public endpoints (per client address, counted by
 * `@fastify/rate-limit`): submissions at the configured rate, sign-in steps at a fixed 60 a minute
 * on top of the database throttle. Empty when the operator turned limits off.
 */
export const submissionRateLimit = (config: Pick<Config, 'rateLimitPerMinute'>) =>
  config.rateLimitPerMinute > 0
    ? { rateLimit: { max: config.rateLimitPerMinute, timeWindow: '1 minute' } }
    : {};

export const signInRateLimit = (config: Pick<Config, 'rateLimitPerMinute'>) =>
  config.rateLimitPerMinute > 0 ? { rateLimit: { max: 60, timeWindow: '1 minute' } } : {};
