import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { sharedRedis } from '../redis/client';

interface RateLimitConfig {
  enabled?: boolean;
  /** Requests allowed per client in each window. */
  points?: number;
  /** Window length, in seconds. */
  duration?: number;
}

const LIMITED_PATHS = /^\/(api\/|graphql)/;

/** A client is its API token when it sends one (servers behind one address), else its IP address. */
export const clientKey = (ctx: Pick<Context, 'get' | 'ip'>) => {
  const authorization = ctx.get('authorization');
  return authorization
    ? `token:${crypto.createHash('sha256').update(authorization).digest('base64url').slice(0, 22)}`
    : `ip:${ctx.ip}`;
};

const createLimiter = (strapi: Core.Strapi, { points, duration }: Required<Pick<RateLimitConfig, 'points' | 'duration'>>): RateLimiterAbstract => {
  const memory = new RateLimiterMemory({ points, duration, keyPrefix: 'ratelimit' });
  const redis = sharedRedis(strapi.log);
  // Counters shared by every instance in Redis; if Redis is unreachable, each instance limits on its own.
  return redis ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: 'ratelimit', insuranceLimiter: memory }) : memory;
};

/** Per-client rate limit on the public API (/api and /graphql): 429 with Retry-After when exceeded. */
export default (config: RateLimitConfig, { strapi }: { strapi: Core.Strapi }) => {
  const points = config.points ?? 600;
  const duration = config.duration ?? 60;
  if (config.enabled === false) return (_ctx: Context, next: Next) => next();
  const limiter = createLimiter(strapi, { points, duration });
  strapi.log.debug(`Rate limit: ${points} requests per ${duration} s per client`);

  return async (ctx: Context, next: Next) => {
    if (!LIMITED_PATHS.test(ctx.path)) return next();
    try {
      const state = await limiter.consume(clientKey(ctx));
      ctx.set('RateLimit-Limit', String(points));
      ctx.set('RateLimit-Remaining', String(state.remainingPoints));
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      ctx.set('Retry-After', String(retryAfter));
      ctx.set('RateLimit-Limit', String(points));
      ctx.set('RateLimit-Remaining', '0');
      ctx.status = 429;
      ctx.body = {
        data: null,
        error: {
          status: 429,
          name: 'TooManyRequestsError',
          message: `Too many requests: the limit is ${points} per ${duration} s for each client. Retry in ${retryAfter} s.`,
        },
      };
      return;
    }
    return next();
  };
};
