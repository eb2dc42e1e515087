import type { Core } from '@strapi/strapi';
import { isDatabaseUnavailableError } from './database-errors';

interface EventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * What the database did wrong while requests ran, from knex's and its pool's events:
 *
 * - when it last failed to give or keep a connection (a pool that could not create or hand out
 *   a connection, a query whose connection was lost). A request that ends in an error after
 *   such a fault most likely failed because of it, even if Strapi reported something else, and
 *   even if a pooled connection that PostgreSQL has not closed yet still answers a probe.
 * - which requests had a COMMIT fail. knex reports a failed COMMIT only to the transaction's own
 *   promise, which Strapi does not watch: `trx.commit()` resolves and Strapi answers 201 for a
 *   write that PostgreSQL rolled back. Such a request must not be acknowledged.
 */
export const watchDatabaseFaults = (strapi: Core.Strapi) => {
  let lastFaultAt = 0;
  const failedCommits = new WeakSet<object>();
  const fault = () => {
    lastFaultAt = Date.now();
  };

  const knex = strapi.db.connection;
  knex.on('query-error', (error: unknown, query: { sql?: unknown } | undefined) => {
    if (isDatabaseUnavailableError(error)) fault();
    if (typeof query?.sql !== 'string' || !/^\s*COMMIT\b/i.test(query.sql)) return;
    // Emitted in the async context of the code that committed: the request, if any.
    const ctx = strapi.requestContext.get();
    if (ctx) failedCommits.add(ctx);
    else strapi.log.error(`A transaction outside any request failed to commit; its changes were not saved: ${String(error)}`);
  });
  const pool = knex.client.pool as EventSource | undefined;
  pool?.on('createFail', fault);
  pool?.on('acquireFail', fault);

  return {
    faultSince: (since: number) => lastFaultAt >= since,
    commitFailed: (ctx: object) => failedCommits.has(ctx),
  };
};
