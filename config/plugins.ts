import type { Core } from '@strapi/strapi';
import { withMaskedErrors } from '../src/errors/graphql-errors';
import { graphqlLimits } from '../src/graphql/limits';
import { uploadProviderFrom } from '../src/media/object-storage';
import { IMAGE_TYPES, uploadMaxFileSizeFrom } from '../src/media/upload-limits';
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
        // Apollo stops itself on SIGTERM outside tests, before the requests in flight are drained
        // (src/resilience/graceful-shutdown.ts); Strapi stops it when it stops its plugins.
        stopOnTerminationSignals: false,
        // The plugin mounts its own CORS handler; give it the same allowlist as strapi::cors.
        cors: { origin: koaCorsOrigin(allowedOrigins(env('CORS_ORIGINS'), env('NODE_ENV', 'development'))), keepHeadersOnError: true },
        // Appended to the plugin's own plugins and validation rules.
        // With them, the plugin that answers HTTP 503 when the database is unreachable (src/resilience),
        // and the formatError that masks internal errors (src/errors).
        ...withMaskedErrors(withDatabaseUnavailablePlugin(graphqlLimits(env))),
      },
    },
  },
  upload: {
    config: {
      // S3-compatible object storage when S3_BUCKET is set (src/media/object-storage.ts), else public/uploads/.
      ...uploadProviderFrom(env),
      // The body parser (config/middlewares.ts) stops at the same size; this limit also covers
      // uploads from a URL in the admin UI.
      sizeLimit: uploadMaxFileSizeFrom(env),
      // Photos and logos only: checked on the bytes (not the declared type) for the admin UI and
      // the content API alike. No SVG: it can carry scripts and gets no responsive formats.
      security: { allowedTypes: IMAGE_TYPES },
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', ''),
    },
  },
});
