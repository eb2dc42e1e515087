import type { Core } from '@strapi/strapi';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // Strapi has no default depth limit in code and an unlimited page size: bound both.
      depthLimit: env.int('GRAPHQL_DEPTH_LIMIT', 10),
      defaultLimit: 25,
      maxLimit: 100,
      landingPage: true,
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', true),
      },
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', ''),
    },
  },
});
