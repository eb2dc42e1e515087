import type { Core } from '@strapi/strapi';
import { drainFirst, trackInFlightRequests } from './graceful-shutdown';
import { surviveOrphanedDatabaseRejections } from './orphaned-database-rejections';
import { registerReadinessRoute } from './readiness';

/**
 * Database faults, shutdown and readiness (docs/operations.md). Wired from src/index.ts
 * (register), config/middlewares.ts and config/plugins.ts.
 */
export const registerResilience = (strapi: Core.Strapi) => {
  registerReadinessRoute(strapi);
  trackInFlightRequests(strapi);
  drainFirst(strapi);
  surviveOrphanedDatabaseRejections(strapi);
};
