import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { errors } from '@strapi/utils';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Context } from 'koa';
import { isObjectStorageError, logObjectStorageFailure, objectStorageFault, objectStorageMessage } from '../media/object-storage-errors';
import { isDatabaseUnavailableError, isStatementTimeoutError, isValueOfWrongTypeError, wrongValueReason } from '../resilience/database-errors';
import { graphqlUnavailableError } from '../resilience/unavailable-response';
import { isClientError, strapiGraphqlCode } from './client-errors';
import { logInternalError, maskedGraphqlMessage } from './internal-error';
import { QUERY_TIMEOUT, queryTimeoutMessage, statementTimeoutOf } from './query-timeout';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/** Where the Apollo plugin below leaves the operation's name for the log (formatError has no request context). */
const OPERATION_NAME = Symbol('GraphQL operation name');
type KoaState = Record<string | symbol, unknown>;

const requestScene = () => {
  const ctx = strapi.requestContext.get() as Context | undefined;
  const body = ctx?.request.body as { operationName?: unknown } | undefined;
  const named = (ctx?.state as KoaState | undefined)?.[OPERATION_NAME] ?? body?.operationName ?? ctx?.query.operationName;
  return { method: ctx?.method, path: ctx?.path, graphqlOperation: typeof named === 'string' ? named : null };
};

/** The innermost error a GraphQLError wraps: what actually failed. */
const innermost = (error: unknown): unknown => {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof GraphQLError && current.originalError; depth++) current = current.originalError;
  return current;
};

const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const original = unwrapResolverError(error);
  const { locations, path } = formatted;

  // Object storage failing under deleteUploadFile: what the REST answer says (src/media/object-storage-errors.ts).
  if (isObjectStorageError(original)) {
    const fault = objectStorageFault(original);
    logObjectStorageFailure(strapi, `GraphQL operation ${requestScene().graphqlOperation ?? '(unnamed)'}`, fault, original);
    return { message: objectStorageMessage(fault, original), locations, path, extensions: { code: fault } };
  }
  if (isStatementTimeoutError(original)) return { message: queryTimeoutMessage(statementTimeoutOf(strapi)), locations, path, extensions: { code: QUERY_TIMEOUT } };
  // An outage, not a bug: the resilience plugin (src/resilience/graphql-plugin.ts) answers these
  // with HTTP 503, and /_ready reports it. Not logged once per request, as an error.
  if (isDatabaseUnavailableError(original)) return { ...graphqlUnavailableError('DATABASE_UNAVAILABLE'), locations, path };
  // A value the database cannot store or compare, as REST answers it (src/middlewares/query-shape.ts).
  if (isValueOfWrongTypeError(original)) return { message: `Invalid value: ${wrongValueReason(original)}.`, locations, path, extensions: { code: 'BAD_USER_INPUT' } };

  // Strapi's errors meant for clients, with the codes and `extensions.error` Strapi gives them.
  if (original instanceof errors.ApplicationError || (original instanceof errors.HttpError && isClientError(original))) {
    const { name, message, details } = original as errors.ApplicationError;
    return { message, locations, path, extensions: { code: strapiGraphqlCode(original), error: { name, message, details } } };
  }
  // GraphQL's own errors (syntax, validation, variables), GraphQL Armor's limits and any error
  // thrown with a code: the code says it is meant for the client. Apollo gives every other error
  // INTERNAL_SERVER_ERROR, including an error it wrapped ("Unexpected error processing request").
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError && code !== undefined && code !== INTERNAL) return formatted;
  // graphql-js's own refusals of a request that Apollo leaves without a code (e.g. "Too many
  // errors processing variables"): wrapping nothing, outside any field, they are about the input.
  if (original instanceof GraphQLError && !original.originalError && !original.path) return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };

  const errorId = logInternalError(strapi, innermost(original), requestScene());
  return { message: maskedGraphqlMessage(errorId), locations, path, extensions: { code: INTERNAL, errorId } };
};

/**
 * Apollo Server's `formatError`. The GraphQL plugin merges `apolloServer` into its own
 * configuration with lodash's mergeWith, which replaces a function rather than composing it: this
 * takes the place of Strapi's formatGraphqlError. That one puts the original error's name and
 * message in `extensions.error` even when it answers "Internal Server Error", and keeps Apollo's
 * stack trace outside production. This keeps Strapi's codes for client errors and masks the rest.
 * (It reaches Strapi through the global `strapi`, as Strapi's own formatter does: the plugin
 * configuration is read before the instance exists.)
 */
export const formatGraphqlError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  try {
    return format(formatted, error);
  } catch (formattingError) {
    // Apollo would answer a throwing formatError with the formatting error's own stack trace.
    const errorId = logInternalError(strapi, formattingError, {});
    return { message: maskedGraphqlMessage(errorId), extensions: { code: INTERNAL, errorId } };
  }
};

interface KoaContextValue {
  koaContext?: Context;
}

/** One listener for every request: requestDidStart allocates nothing (the page's throughput is measured). */
const listener: GraphQLRequestListener<KoaContextValue> = {
  // Before formatError: the name Apollo resolved, for the log, even when the client sent none.
  async didEncounterErrors({ contextValue, operationName }) {
    if (contextValue.koaContext && operationName) (contextValue.koaContext.state as KoaState)[OPERATION_NAME] = operationName;
  },
  // A statement stopped at DATABASE_STATEMENT_TIMEOUT is the request's fault: HTTP 400, as for
  // the other refusals (limits), rather than Apollo's 200.
  async willSendResponse({ response }) {
    if (response.body.kind !== 'single' || response.http.status === 503) return;
    if (response.body.singleResult.errors?.some((error) => error.extensions?.code === QUERY_TIMEOUT)) response.http.status = 400;
  },
};

export const graphqlErrorsPlugin: ApolloServerPlugin<KoaContextValue> = {
  async requestDidStart() {
    return listener;
  },
};

/** Adds masking to an Apollo Server configuration (config/plugins.ts). */
export const withMaskedErrors = <T extends { plugins?: unknown[] }>(apolloServer: T) => ({
  ...apolloServer,
  formatError: formatGraphqlError,
  // Apollo adds a stack trace to every error outside production; never send one.
  includeStacktraceInErrorResponses: false,
  plugins: [...(apolloServer.plugins ?? []), graphqlErrorsPlugin],
});
