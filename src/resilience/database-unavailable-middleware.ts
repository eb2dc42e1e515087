import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import { isDatabaseUnavailableError } from './database-errors';
import { databaseAnswers } from './database-probe';
import { isShuttingDown } from './graceful-shutdown';
import { respondUnavailable } from './unavailable-response';

/**
 * Some Strapi code turns a database fault into another answer: users-permissions' authenticate
 * catches every error and reports "not authenticated", so with PostgreSQL down an anonymous
 * request gets 401; an unknown error becomes a 500. For those answers (and only those) we ask
 * the database whether it answers before sending them.
 */
const mayHideDatabaseFault = (status: number) => status === 401 || status === 403 || (status >= 500 && status !== 503);

const thrownMayHideDatabaseFault = (error: unknown) => {
  if (error instanceof errors.UnauthorizedError || error instanceof errors.ForbiddenError) return true;
  // Validation, not found, payload too large...: the request's own fault, whatever the database does.
  if (error instanceof errors.ApplicationError) return false;
  const status = (error as { status?: unknown }).status;
  return typeof status !== 'number' || mayHideDatabaseFault(status);
};

const WARNING_INTERVAL_MS = 10000;

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
    const detail = cause instanceof Error ? cause.message : 'it does not answer a trivial query';
    strapi.log.warn(`Database unavailable, answering 503 (next warning in ${WARNING_INTERVAL_MS / 1000} s at the earliest): ${detail}`);
  };
  const isGraphql = (ctx: Context) => ctx.path === (strapi.plugin('graphql')?.config('endpoint') ?? '/graphql');

  return async (ctx: Context, next: Next) => {
    if (isShuttingDown(strapi)) return respondUnavailable(ctx, 'SHUTTING_DOWN', isGraphql(ctx));
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent) throw error;
      const unavailable =
        isDatabaseUnavailableError(error) || (thrownMayHideDatabaseFault(error) && !(await databaseAnswers(strapi)));
      if (!unavailable) throw error;
      warn(error);
      return respondUnavailable(ctx, 'DATABASE_UNAVAILABLE', isGraphql(ctx));
    }
    if (!ctx.headerSent && mayHideDatabaseFault(ctx.status) && !(await databaseAnswers(strapi))) {
      warn(undefined);
      respondUnavailable(ctx, 'DATABASE_UNAVAILABLE', isGraphql(ctx));
    }
    // A request that was in flight when the drain began: its client must not reuse the socket.
    if (!ctx.headerSent && isShuttingDown(strapi)) ctx.set('Connection', 'close');
  };
};
