import type { Core } from '@strapi/strapi';

/** Production: no GraphQL sandbox page, and no introspection unless asked for. */
export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  graphql: {
    config: {
      landingPage: false,
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', false),
      },
    },
  },
});
