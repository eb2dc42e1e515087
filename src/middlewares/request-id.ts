// Registered as 'global::request-id' in config/middlewares.ts; the code is in src/observability.
export { requestIdMiddleware as default } from '../observability/request-id';
