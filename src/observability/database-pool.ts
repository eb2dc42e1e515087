import type { Core } from '@strapi/strapi';

/**
 * The one place that reads knex's connection pool (a tarn.js Pool) under Strapi's database
 * connection: neither Strapi nor knex exposes its use otherwise. tests/observability/metrics.test.ts
 * fails naming this file when an upgrade moves it.
 */
interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

export interface PoolUse {
  used: number;
  free: number;
  pendingAcquires: number;
  pendingCreates: number;
  max: number;
}

const isTarnPool = (pool: unknown): pool is TarnPool =>
  typeof pool === 'object' &&
  pool !== null &&
  ['numUsed', 'numFree', 'numPendingAcquires', 'numPendingCreates'].every((method) => typeof (pool as Record<string, unknown>)[method] === 'function');

/** The pool's use now; undefined when there is no pool (yet) to read. */
export const databasePoolUse = (strapi: Core.Strapi): PoolUse | undefined => {
  const pool = (strapi.db?.connection?.client as { pool?: unknown } | undefined)?.pool;
  if (!isTarnPool(pool)) return undefined;
  return {
    used: pool.numUsed(),
    free: pool.numFree(),
    pendingAcquires: pool.numPendingAcquires(),
    pendingCreates: pool.numPendingCreates(),
    max: pool.max,
  };
};
