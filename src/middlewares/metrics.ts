// Registered as 'global::metrics' in config/middlewares.ts; the code is in src/observability.
export { metricsMiddleware as default } from '../observability/metrics-middleware';
