import type { Core } from '@strapi/strapi';

/** Long enough for a loaded but healthy database, short enough that nobody waits on a dead one. */
export const PROBE_TIMEOUT_MS = 2000;

const probesInFlight = new WeakMap<Core.Strapi, Promise<boolean>>();

const runProbe = (strapi: Core.Strapi, timeoutMs: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const query = strapi.db.connection.raw('select 1').then(
    () => true,
    () => false
  );
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  return Promise.race([query, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Whether the database answers a trivial query within `timeoutMs` (the wait for a pooled
 * connection included). Concurrent callers share one probe, so an outage under load costs one
 * connection attempt at a time, not one per request.
 */
export const databaseAnswers = (strapi: Core.Strapi, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> => {
  const running = probesInFlight.get(strapi);
  if (running) return running;
  const probe = runProbe(strapi, timeoutMs).finally(() => probesInFlight.delete(strapi));
  probesInFlight.set(strapi, probe);
  return probe;
};
