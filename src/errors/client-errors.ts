import { errors } from '@strapi/utils';

/**
 * Errors meant for the client, whose message and name it gets as they are: Strapi's application
 * errors (ValidationError, ForbiddenError, NotFoundError, ... and NotImplementedError's 501), and
 * HTTP errors below 500 (http-errors' and koa-body's: a body too large, JSON that does not
 * parse). An HttpError of 500 or more, or anything else, is internal.
 */
export const isClientError = (error: unknown): boolean => {
  if (error instanceof errors.ApplicationError) return true;
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
};

/**
 * The GraphQL code Strapi's own formatGraphqlError (@strapi/plugin-graphql) gives a client
 * error, which front ends may test: FORBIDDEN, BAD_USER_INPUT, else STRAPI_<NAME>.
 */
export const strapiGraphqlCode = (error: { name: string }) => {
  if (error instanceof errors.ForbiddenError || error instanceof errors.UnauthorizedError) return 'FORBIDDEN';
  if (error instanceof errors.ValidationError) return 'BAD_USER_INPUT';
  return `STRAPI_${error.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
};
