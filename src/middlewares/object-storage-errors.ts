// Registered as 'global::object-storage-errors' in config/middlewares.ts; the code is in src/media.
export { objectStorageErrorsMiddleware as default } from '../media/object-storage-errors';
