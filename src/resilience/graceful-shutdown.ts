import type { Core } from '@strapi/strapi';
import type { IncomingMessage, ServerResponse } from 'http';

/**
 * Strapi's own SIGTERM handler (createStrapi → destroyOnSignal) calls strapi.destroy(), which
 * first stops every plugin (GraphQL's Apollo Server among them: a request that reaches it
 * afterwards is a 500), then runs the app's destroy() lifecycle, then destroys every open socket
 * at once (a request in flight is cut off). So the drain runs before all of it: drainFirst.
 */

/** Upper bound on the drain; below Kubernetes' default 30 s grace period, leaving time to close the pool. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20000;

interface RequestTracker {
  /** Requests from their arrival until their response is sent (or their socket closes). */
  inFlight: number;
  /** Requests whose middleware chain runs: a handler goes on when its client has gone. */
  handling: number;
  shuttingDown: boolean;
  onIdle?: () => void;
}

const trackers = new WeakMap<Core.Strapi, RequestTracker>();

const busy = (tracker: RequestTracker) => Math.max(tracker.inFlight, tracker.handling);
const settle = (tracker: RequestTracker) => {
  if (busy(tracker) === 0) tracker.onIdle?.();
};

/** Counts requests from their arrival until their response is sent (or their socket closes). */
export const trackInFlightRequests = (strapi: Core.Strapi) => {
  const tracker: RequestTracker = { inFlight: 0, handling: 0, shuttingDown: false };
  trackers.set(strapi, tracker);
  strapi.server.httpServer.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    tracker.inFlight += 1;
    response.once('close', () => {
      tracker.inFlight -= 1;
      settle(tracker);
    });
  });
};

/**
 * The first middleware (config/middlewares.ts, 'global::requests-in-flight'): counts each request
 * until its handler has finished, so that the drain also waits for handlers whose client left
 * (their socket closed, the work goes on: stopping the plugins under it made internal errors).
 */
export const requestsInFlightMiddleware =
  (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (_ctx: unknown, next: () => Promise<void>) => {
    const tracker = trackers.get(strapi);
    if (!tracker) return next();
    tracker.handling += 1;
    try {
      await next();
    } finally {
      tracker.handling -= 1;
      settle(tracker);
    }
  };

/** True from the start of the drain: readiness answers 503 and new requests are turned away. */
export const isShuttingDown = (strapi: Core.Strapi) => trackers.get(strapi)?.shuttingDown ?? false;

const shutdownTimeout = () => {
  const configured = Number(process.env.SHUTDOWN_TIMEOUT);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_SHUTDOWN_TIMEOUT_MS;
};

/**
 * Stops accepting connections (Node also closes idle keep-alive ones), then waits until every
 * request in flight has been answered and every handler has finished, at most SHUTDOWN_TIMEOUT ms.
 */
const drainInFlightRequests = async (strapi: Core.Strapi) => {
  const tracker = trackers.get(strapi);
  if (!tracker || tracker.shuttingDown) return;
  tracker.shuttingDown = true;
  const server = strapi.server.httpServer;
  if (server.listening) server.close(() => {});
  if (busy(tracker) === 0) return;

  const timeoutMs = shutdownTimeout();
  strapi.log.info(`Shutting down: waiting for ${busy(tracker)} request(s) in flight (at most ${timeoutMs} ms).`);
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    tracker.onIdle = resolve;
    timer = setTimeout(resolve, timeoutMs);
  });
  clearTimeout(timer);
  if (busy(tracker) > 0) strapi.log.warn(`Shutting down: ${busy(tracker)} request(s) still in flight after ${timeoutMs} ms are cut off.`);
};

/**
 * Makes strapi.destroy() (on a signal, or called) drain the requests in flight before Strapi
 * stops anything. The one place that replaces a Strapi method: destroy() has no hook that runs
 * before the plugins stop. tests/faults/graceful-shutdown.test.ts ("... drainFirst: ...") fails
 * when that order or the signal's path through strapi.destroy() changes.
 */
export const drainFirst = (strapi: Core.Strapi) => {
  const destroy = strapi.destroy.bind(strapi);
  strapi.destroy = async () => {
    await drainInFlightRequests(strapi);
    return destroy();
  };
};
