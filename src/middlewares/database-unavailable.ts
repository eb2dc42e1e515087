// Registered as 'global::database-unavailable' in config/middlewares.ts; the code is in src/resilience.
export { databaseUnavailableMiddleware as default } from '../resilience/database-unavailable-middleware';
