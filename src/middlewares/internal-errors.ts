// Registered as 'global::internal-errors' in config/middlewares.ts; the code is in src/errors.
export { internalErrorsMiddleware as default } from '../errors/internal-errors-middleware';
