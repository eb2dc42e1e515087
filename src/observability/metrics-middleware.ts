import crypto from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { operationLabelOf } from './graphql-operations';
import { metricsOf, metricsToken, type Metrics } from './metrics';
import { routeLabeler } from './route-label';

export const METRICS_PATH = '/metrics';

const digest = (text: string) => crypto.createHash('sha256').update(text).digest();

/** Compares in constant time (digests of equal length), so that the answer time tells nothing of the token. */
const isBearerOf = (authorization: string, token: string) => crypto.timingSafeEqual(digest(authorization), digest(`Bearer ${token}`));

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const serveMetrics = async (ctx: Context, metrics: Metrics, token: string) => {
  ctx.set('Cache-Control', 'no-store');
  if (!isBearerOf(ctx.get('Authorization'), token)) {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    ctx.body = { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.' } };
    return;
  }
  ctx.type = metrics.registry.contentType;
  ctx.body = await metrics.registry.metrics();
};

/**
 * Counts and times every request by method, route pattern and status, and GraphQL requests by
 * operation; answers `GET /metrics` in Prometheus' text format to the bearer of METRICS_TOKEN.
 * Placed before strapi::logger, the rate limit and the response cache: scrapes are neither
 * logged, limited nor cached, and are not counted themselves (a scrape cannot report itself).
 */
export const metricsMiddleware = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const metrics = metricsOf(strapi);
  // Without a token, /metrics does not exist (Strapi answers it 404) and nothing is recorded.
  if (!metrics) return (_ctx: Context, next: Next) => next();
  const token = metricsToken(strapi);
  const graphqlEndpoint = strapi.plugin('graphql').config('endpoint') as string;
  const routeLabel = routeLabeler(strapi);

  const record = (ctx: Context, seconds: number, status: number) => {
    const labels = { method: METHODS.has(ctx.method) ? ctx.method : 'other', route: routeLabel(ctx), status: String(status) };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, seconds);
    if (ctx.path !== graphqlEndpoint) return;
    const operation = operationLabelOf(ctx.method === 'GET' ? ctx.query : ctx.request.body, metrics.knownOperations);
    if (operation === undefined) return;
    metrics.graphqlOperations.inc({ operation });
    metrics.graphqlOperationDuration.observe({ operation }, seconds);
  };

  return async (ctx: Context, next: Next) => {
    if (ctx.path === METRICS_PATH && (ctx.method === 'GET' || ctx.method === 'HEAD')) return serveMetrics(ctx, metrics, token);
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      await next();
    } catch (error) {
      // Koa answers what escapes every middleware with the error's status, or 500.
      const status = (error as { status?: unknown }).status;
      record(ctx, seconds(), typeof status === 'number' ? status : 500);
      throw error;
    }
    record(ctx, seconds(), ctx.status);
  };
};
