import type { ApolloServerPlugin } from '@apollo/server';

/**
 * A GraphQL request refused whole for its input (nothing answered, every error BAD_USER_INPUT:
 * a filter outside the public ones, a bound exceeded, a save that does not validate) answers
 * HTTP 400, as REST does; Apollo would send 200 for an error raised while executing.
 */
export const badInputStatusPlugin = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data === null && errors?.length && errors.every((error) => error.extensions?.code === 'BAD_USER_INPUT')) {
          response.http.status = 400;
        }
      },
    };
  },
});
