import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { isStatementTimeoutError } from '../resilience/database-errors';
import { isClientError } from './client-errors';
import { logInternalError, maskedGraphqlMessage, maskedRestMessage } from './internal-error';
import { QUERY_TIMEOUT, queryTimeoutMessage, statementTimeoutOf } from './query-timeout';

interface RestErrorBody {
  error: { status?: unknown; message?: unknown; details?: { errorId?: unknown } };
}
const isRestErrorBody = (body: unknown): body is RestErrorBody =>
  typeof body === 'object' && body !== null && typeof (body as RestErrorBody).error === 'object' && (body as RestErrorBody).error !== null;

/**
 * A client error as strapi::errors will write it. Its details can hold the input they refer to
 * (yup's errors keep the value), and input nested a few thousand levels deep is more than
 * JSON.stringify can write: the client then gets the message without the details.
 */
const writable = (error: unknown) => {
  const detailed = error as { details?: unknown };
  try {
    JSON.stringify(detailed.details);
  } catch {
    detailed.details = {};
  }
  return error;
};

const isJsonBody = (body: unknown) =>
  typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';

/**
 * Masks internal errors on every request that Koa serves (REST, the admin API, and GraphQL
 * requests that fail before Apollo answers, e.g. in authentication), and answers a statement
 * stopped at DATABASE_STATEMENT_TIMEOUT with a 400. Placed between strapi::errors, which formats
 * the client errors this rethrows, and global::database-unavailable, which has answered 503 to
 * database faults before an error gets here.
 */
export const internalErrorsMiddleware = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const isGraphql = (ctx: Context) => ctx.path === (strapi.plugin('graphql')?.config('endpoint') ?? '/graphql');
  const sceneOf = (ctx: Context) => {
    const operationName = (ctx.request.body as { operationName?: unknown } | undefined)?.operationName ?? ctx.query.operationName;
    return { method: ctx.method, path: ctx.path, graphqlOperation: isGraphql(ctx) && typeof operationName === 'string' ? operationName : null };
  };

  const answerInternal = (ctx: Context, errorId: string) => {
    ctx.status = 500;
    ctx.body = isGraphql(ctx)
      ? { errors: [{ message: maskedGraphqlMessage(errorId), extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } }] }
      : { data: null, error: { status: 500, name: 'InternalServerError', message: maskedRestMessage(errorId), details: { errorId } } };
  };

  const answerQueryTimeout = (ctx: Context) => {
    const message = queryTimeoutMessage(statementTimeoutOf(strapi));
    ctx.status = 400;
    ctx.body = isGraphql(ctx)
      ? { errors: [{ message, extensions: { code: QUERY_TIMEOUT } }] }
      : { data: null, error: { status: 400, name: 'QueryTimeoutError', message, details: {} } };
  };

  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent) throw error;
      if (isClientError(error)) throw writable(error);
      if (isStatementTimeoutError(error)) return answerQueryTimeout(ctx);
      return answerInternal(ctx, logInternalError(strapi, error, sceneOf(ctx)));
    }
    // A 500 set without throwing (Strapi's ctx.internalServerError(message)): its message was
    // written for the log, not for clients.
    if (ctx.status === 500 && isRestErrorBody(ctx.body) && ctx.body.error.details?.errorId === undefined) {
      const answered = new Error(`answered 500: ${String(ctx.body.error.message)}`);
      answerInternal(ctx, logInternalError(strapi, answered, sceneOf(ctx)));
    }
    // Koa writes an object body as JSON after every middleware has returned, where a value it
    // cannot write (nested too deep: a ValidationError's details echo the input) reaches Koa's
    // own handler, a bare 500 without an id. Written here, once, as Koa would.
    if (isJsonBody(ctx.body)) {
      try {
        ctx.body = JSON.stringify(ctx.body);
      } catch (error) {
        answerInternal(ctx, logInternalError(strapi, error, sceneOf(ctx)));
      }
    }
  };
};
