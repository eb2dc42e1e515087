import type { Context } from 'koa';

/**
 * Origins allowed to call the API from a browser: CORS_ORIGINS, comma-separated; `*` allows any.
 * Unset: any origin in development, none in production.
 */
export const allowedOrigins = (value: string | undefined, environment: string): string[] | '*' => {
  const origins = (value ?? '').split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean);
  if (origins.includes('*')) return '*';
  if (origins.length === 0) return environment === 'production' ? [] : '*';
  return origins;
};

/**
 * Answer headers a front end's JavaScript may read cross-origin: the request id (to quote in a bug
 * report; src/observability) and whether the response cache answered.
 */
export const EXPOSED_HEADERS = ['X-Request-ID', 'X-Cache'];

/** The same allowlist as an @koa/cors `origin` option, for the GraphQL plugin's own CORS handler. */
export const koaCorsOrigin = (allowed: string[] | '*') => (ctx: Context) => {
  const origin = ctx.get('Origin');
  if (allowed === '*') return '*';
  return allowed.includes(origin) ? origin : '';
};
