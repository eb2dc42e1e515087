import type { Core } from '@strapi/strapi';
import { secret } from '../src/environment/secrets';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  graphql: {
    config: {
      endpoint: '/graphql',
      shadowCRUD: true,
      // Strapi has no default depth limit in code and an unlimited page size: bound both.
      depthLimit: env.int('GRAPHQL_DEPTH_LIMIT', 10),
      defaultLimit: 25,
      maxLimit: 100,
      landingPage: env('NODE_ENV', 'development') !== 'production',
      apolloServer: {
        introspection: env.bool('GRAPHQL_INTROSPECTION', env('NODE_ENV', 'development') !== 'production'),
      },
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: secret(env, 'JWT_SECRET'),
    },
  },
});
