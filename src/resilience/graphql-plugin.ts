import { isDatabaseUnavailableError } from './database-errors';
import { databaseAnswers } from './database-probe';
import { RETRY_AFTER_SECONDS, graphqlUnavailableError } from './unavailable-response';

/** The parts of Apollo Server 4's plugin API used here (its types live in a package we do not depend on). */
interface FormattedError {
  message: string;
  extensions?: Record<string, unknown>;
}
interface WillSendResponseContext {
  errors?: ReadonlyArray<unknown>;
  response: {
    http: { status?: number; headers: Map<string, string> };
    body: { kind: 'single'; singleResult: { errors?: ReadonlyArray<FormattedError> } } | { kind: 'incremental' };
  };
}

/**
 * A resolver that fails because the database is unreachable would otherwise reach the client as
 * HTTP 200 with "Internal Server Error": this turns it into HTTP 503, Retry-After, and an error
 * with extensions.code DATABASE_UNAVAILABLE. Errors that happen before Apollo (authentication)
 * are answered by the database-unavailable Koa middleware in the same shape.
 */
export const databaseUnavailableGraphqlPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors: raw = [], response }: WillSendResponseContext) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors?.length) return;
        const formatted = response.body.singleResult.errors;
        let unavailable = formatted.map((_error, index) => isDatabaseUnavailableError(raw[index]));
        // An error Strapi could not classify: if the database does not answer either, blame it.
        // (The global `strapi` is how Strapi's own GraphQL error formatter reaches the instance too.)
        const internal = formatted.map((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR');
        if (!unavailable.some(Boolean) && internal.some(Boolean) && !(await databaseAnswers(strapi))) unavailable = internal;
        if (!unavailable.some(Boolean)) return;

        response.body.singleResult.errors = formatted.map((error, index) =>
          unavailable[index] ? { ...error, ...graphqlUnavailableError('DATABASE_UNAVAILABLE') } : error
        );
        response.http.status = 503;
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
};

/** Appends the plugin to an Apollo Server configuration that may already carry plugins. */
export const withDatabaseUnavailablePlugin = <T extends { plugins?: unknown[] }>(apolloServer: T) => ({
  ...apolloServer,
  plugins: [...(apolloServer.plugins ?? []), databaseUnavailableGraphqlPlugin],
});
