import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { isDatabaseUnavailableError, isStatementTimeoutError } from './database-errors';
import { watchDatabaseFaults } from './database-faults';
import { databaseAnswers } from './database-probe';
import { isShuttingDown } from './graceful-shutdown';
import { respondUnavailable } from './unavailable-response';

/**
 * Some Strapi code turns a database fault into another answer: users-permissions' authenticate
 * catches every error and reports "not authenticated", so with PostgreSQL down an anonymous
 * request gets 401; an unknown error becomes a 500. For those answers (and only those) we check
 * whether the database failed while the request ran, or does not answer now, before sending them.
 */
const mayHideDatabaseFault = (status: number) => status === 401 || status === 403 || (status >= 500 && status !== 503);

const thrownMayHideDatabaseFault = (error: unknown) => {
  if (error instanceof errors.UnauthorizedError || error instanceof errors.ForbiddenError) return true;
  // Validation, not found, payload too large, a statement too slow...: the request's own fault,
  // whatever the database does.
  if (error instanceof errors.ApplicationError || isStatementTimeoutError(error)) return false;
  const status = (error as { status?: unknown }).status;
  return typeof status !== 'number' || mayHideDatabaseFault(status);
};

const WARNING_INTERVAL_MS = 10000;

/**
 * A request still running this long after it started, with the database failing since, gets its
 * 503 now rather than whenever (if ever) the code under it gives up. Some never does: yup 0.32.9,
 * which Strapi checks unique fields with, loses the rejection of a failed uniqueness query, and
 * the save waits forever (fixed in yup 0.32.11; see docs/operations.md).
 */
const FAULT_DEADLINE_MS = 3000;
const ABANDONED = Symbol('abandoned after a database fault');

const raceFaultDeadline = async (work: Promise<unknown>, faulted: () => boolean) => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof ABANDONED>((resolve) => {
    // One timer per request, which fires only for the slow ones.
    const check = () => (faulted() ? resolve(ABANDONED) : (timer = setTimeout(check, 250)));
    timer = setTimeout(check, FAULT_DEADLINE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Answers 503 with Retry-After, never 500 nor a misleading 401, when a request fails because
 * the database is unreachable (stopped, restarting, failing over, pool exhausted); and 503 with
 * `Connection: close` to requests that arrive while the server drains for shutdown.
 * Placed right after strapi::errors, so it sees the raw error before Strapi formats it as a 500.
 */
export const databaseUnavailableMiddleware = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let lastWarning = 0;
  const warn = (cause: unknown) => {
    if (Date.now() - lastWarning < WARNING_INTERVAL_MS) return;
    lastWarning = Date.now();
    // Knex prefixes the message with the SQL and its values: keep only the driver's words.
    const detail = cause instanceof Error ? (cause.message.split(' - ').pop() ?? cause.name) : 'Strapi answered with an error while it failed';
    strapi.log.warn(`Database unavailable, answering 503 (next warning in ${WARNING_INTERVAL_MS / 1000} s at the earliest): ${detail}`);
  };
  const faults = watchDatabaseFaults(strapi);
  const databaseFailedDuring = async (startedAt: number) => faults.faultSince(startedAt) || !(await databaseAnswers(strapi));
  const isGraphql = (ctx: Context) => ctx.path === (strapi.plugin('graphql')?.config('endpoint') ?? '/graphql');

  return async (ctx: Context, next: Next) => {
    if (isShuttingDown(strapi)) return respondUnavailable(ctx, 'SHUTTING_DOWN', isGraphql(ctx));
    const startedAt = Date.now();
    try {
      const work = next();
      if ((await raceFaultDeadline(work, () => faults.faultSince(startedAt))) === ABANDONED) {
        work.catch(() => {});
        warn(undefined);
        return respondUnavailable(ctx, 'DATABASE_UNAVAILABLE', isGraphql(ctx));
      }
    } catch (error) {
      if (ctx.headerSent) throw error;
      const unavailable = isDatabaseUnavailableError(error) || (thrownMayHideDatabaseFault(error) && (await databaseFailedDuring(startedAt)));
      if (!unavailable) throw error;
      warn(error);
      return respondUnavailable(ctx, 'DATABASE_UNAVAILABLE', isGraphql(ctx));
    }
    if (ctx.headerSent) return;
    if (faults.commitFailed(ctx) || (mayHideDatabaseFault(ctx.status) && (await databaseFailedDuring(startedAt)))) {
      warn(undefined);
      respondUnavailable(ctx, 'DATABASE_UNAVAILABLE', isGraphql(ctx));
    }
    // A request that was in flight when the drain began: its client must not reuse the socket.
    if (isShuttingDown(strapi)) ctx.set('Connection', 'close');
  };
};
