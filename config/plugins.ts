import type { Core } from '@strapi/strapi';
import { graphqlLimits } from '../src/graphql/limits';
import { withDatabaseUnavailablePlugin } from '../src/resilience/graphql-plugin';
import { allowedOrigins, koaCorsOrigin } from '../src/security/cors';

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
        // Apollo's CSRF guard refuses simple GETs, which CDNs and <script> fetches send. The content
        // API authenticates by Authorization header only, never by cookie, so a cross-site request
        // carries no credentials and there is nothing to forge.
        csrfPrevention: false,
        // The plugin mounts its own CORS handler; give it the same allowlist as strapi::cors.
        cors: { origin: koaCorsOrigin(allowedOrigins(env('CORS_ORIGINS'), env('NODE_ENV', 'development'))), keepHeadersOnError: true },
        // Appended to the plugin's own plugins and validation rules.
        // With them, the plugin that answers HTTP 503 when the database is unreachable (src/resilience).
        ...withDatabaseUnavailablePlugin(graphqlLimits(env)),
      },
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', ''),
    },
  },
});
