// Registered as 'global::requests-in-flight' in config/middlewares.ts; the code is in src/resilience.
export { requestsInFlightMiddleware as default } from '../resilience/graceful-shutdown';
