import { AsyncLocalStorage } from 'async_hooks';

/**
 * The request a piece of work belongs to, for every log line written while it runs: kept by
 * request-id.ts around each request, read by the log format (log-format.ts), so that code deep
 * inside (a resolver, an error handler) need not pass it along.
 */
interface RequestScope {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const runInRequestScope = <T>(scope: RequestScope, work: () => T): T => storage.run(scope, work);

/** The id of the request being served, or undefined outside any request (start-up, timers). */
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;
