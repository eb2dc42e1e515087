import type { Core } from '@strapi/strapi';

/**
 * Node prints its process warnings (deprecations such as pg's "Calling client.query() when the
 * client is already executing a query", experimental features) straight to stderr, in a shape of
 * its own: with JSON logs, the only lines that are not JSON. They go through the logger instead,
 * as warnings with their name and code, in either format. Removing Node's printer is what
 * `node --no-warnings` does; the warnings are still emitted, only printed here.
 */
export const logProcessWarnings = (strapi: Core.Strapi) => {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    strapi.log.warn(`${warning.name}${warning.code ? ` ${warning.code}` : ''}: ${warning.message}`, { warning: warning.name, code: warning.code });
  });
};
