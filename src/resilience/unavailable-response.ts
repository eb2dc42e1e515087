import type { Context } from 'koa';

/** Seconds a client should wait before retrying: a PostgreSQL restart or a failover takes a few. */
export const RETRY_AFTER_SECONDS = 5;

export type UnavailableReason = 'DATABASE_UNAVAILABLE' | 'SHUTTING_DOWN';

export const UNAVAILABLE_MESSAGES: Record<UnavailableReason, string> = {
  DATABASE_UNAVAILABLE: `The database is unavailable at the moment; retry in ${RETRY_AFTER_SECONDS} seconds.`,
  SHUTTING_DOWN: 'This server is shutting down. Retry the request; another server (or this one, restarted) will answer it.',
};

/** A GraphQL error as clients read it: `errors[0].extensions.code` tells what happened. */
export const graphqlUnavailableError = (reason: UnavailableReason) => ({
  message: UNAVAILABLE_MESSAGES[reason],
  extensions: { code: reason },
});

/**
 * Answers 503 with Retry-After, in the shape the endpoint's clients parse: a GraphQL response on
 * the GraphQL endpoint, Strapi's REST error everywhere else.
 */
export const respondUnavailable = (ctx: Context, reason: UnavailableReason, isGraphql: boolean) => {
  ctx.status = 503;
  ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  if (reason === 'SHUTTING_DOWN') ctx.set('Connection', 'close');
  ctx.body = isGraphql
    ? { errors: [graphqlUnavailableError(reason)] }
    : {
        data: null,
        error: { status: 503, name: 'ServiceUnavailableError', message: UNAVAILABLE_MESSAGES[reason], details: { code: reason } },
      };
};
