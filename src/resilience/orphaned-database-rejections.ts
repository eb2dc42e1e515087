import type { Core } from '@strapi/strapi';
import { isDatabaseUnavailableError } from './database-errors';

/**
 * When PostgreSQL goes away mid-work, promises under Strapi reject with nobody listening: Strapi's
 * pool hook (`initialize().then(done)`, no catch) when a new connection dies during its set-up,
 * knex's transaction promise, yup 0.32.9's async tests (Strapi's uniqueness checks), and knex's
 * "Transaction query already complete" for a query sent on a transaction its lost connection had
 * ended. Node's default for an unhandled rejection is to exit, which turned a PostgreSQL restart
 * under write load into a crash. Those rejections only say "the database went away", and the
 * requests concerned get their 503 from the database-unavailable middleware: log them and carry
 * on. Any other unhandled rejection keeps Node's default, a crash.
 */
const isOrphanedDatabaseRejection = (reason: unknown) =>
  isDatabaseUnavailableError(reason) ||
  (reason instanceof Error && /Transaction query already complete/.test(reason.message));

export const surviveOrphanedDatabaseRejections = (strapi: Core.Strapi) => {
  process.on('unhandledRejection', (reason) => {
    if (!isOrphanedDatabaseRejection(reason)) throw reason;
    strapi.log.warn(`Database connection lost during background work: ${reason instanceof Error ? reason.message.split(' - ').pop() : String(reason)}`);
  });
};
