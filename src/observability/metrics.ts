import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { databasePoolUse, type PoolUse } from './database-pool';
import { contractOperationNames, OTHER_OPERATION } from './graphql-operations';

export type CacheLookup = 'hit' | 'miss';

/** config/metrics.ts */
export interface MetricsConfig {
  /** METRICS_TOKEN: scrapes send `Authorization: Bearer <token>`; empty, there are no metrics and no /metrics. */
  token: string;
}

/** Every metric the server exposes at /metrics, in a registry of its own (not prom-client's global one). */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  graphqlOperations: Counter<'operation'>;
  graphqlOperationDuration: Histogram<'operation'>;
  responseCacheLookups: Counter<'result'>;
  /** The contract's operation names: the only values of the `operation` label besides "other". */
  knownOperations: Set<string>;
}

const poolGauge = (registry: Registry, strapi: Core.Strapi, name: string, help: string, read: (use: PoolUse) => number) =>
  new Gauge({
    name,
    help,
    registers: [registry],
    // Read at scrape time: the pool's state now, not a sample taken earlier.
    collect() {
      const use = databasePoolUse(strapi);
      if (use) this.set(read(use));
    },
  });

const createMetrics = (strapi: Core.Strapi): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  poolGauge(registry, strapi, 'db_pool_connections_used', 'Database connections checked out of the pool', (use) => use.used);
  poolGauge(registry, strapi, 'db_pool_connections_free', 'Idle database connections in the pool', (use) => use.free);
  poolGauge(registry, strapi, 'db_pool_connections_max', 'Most connections the pool opens (DATABASE_POOL_MAX)', (use) => use.max);
  poolGauge(registry, strapi, 'db_pool_pending_acquires', 'Requests for a connection waiting for the pool', (use) => use.pendingAcquires);
  poolGauge(registry, strapi, 'db_pool_pending_creates', 'Connections being opened', (use) => use.pendingCreates);

  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status (scrapes of /metrics not counted)',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL requests by operation: a contract operation name, or "other"',
      labelNames: ['operation'],
      registers: [registry],
    }),
    graphqlOperationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL request (from the response cache or executed), by operation',
      labelNames: ['operation'],
      registers: [registry],
    }),
    responseCacheLookups: new Counter({
      name: 'graphql_response_cache_lookups_total',
      help: 'Lookups of anonymous GraphQL queries in the response cache: hit (answered from it) or miss (executed)',
      labelNames: ['result'],
      registers: [registry],
    }),
    knownOperations: knownOperationsOf(strapi),
  };
};

const CONTRACT_DIR = ['docs', 'graphql', 'contract'];

/** Without the contract beside the server (a trimmed deployment), every operation counts as "other". */
const knownOperationsOf = (strapi: Core.Strapi) => {
  const contractDir = path.join(strapi.dirs.app.root, ...CONTRACT_DIR);
  if (fs.existsSync(contractDir)) return contractOperationNames(contractDir);
  strapi.log.warn(`Metrics: no ${CONTRACT_DIR.join('/')} beside the server; GraphQL operations are all counted as "other".`);
  return new Set<string>();
};

/** Series that exist from the start at 0, so that rates and ratios over them are defined before the first event. */
const startAtZero = (metrics: Metrics) => {
  for (const result of ['hit', 'miss'] satisfies CacheLookup[]) metrics.responseCacheLookups.inc({ result }, 0);
  for (const operation of [...metrics.knownOperations, OTHER_OPERATION]) metrics.graphqlOperations.inc({ operation }, 0);
  return metrics;
};

const perInstance = new WeakMap<Core.Strapi, Metrics>();

/** The token scrapes must send; empty when metrics are off. */
export const metricsToken = (strapi: Core.Strapi): string => strapi.config.get<MetricsConfig['token']>('metrics.token', '');

/**
 * The metrics of this Strapi instance (one registry each, made on first use), or undefined when
 * no METRICS_TOKEN is set: nobody could read them, so nothing is recorded.
 */
export const metricsOf = (strapi: Core.Strapi): Metrics | undefined => {
  if (!metricsToken(strapi)) return undefined;
  let metrics = perInstance.get(strapi);
  if (!metrics) {
    metrics = startAtZero(createMetrics(strapi));
    perInstance.set(strapi, metrics);
  }
  return metrics;
};
