import type { Core } from '@strapi/strapi';
import { securityConfigFrom } from '../src/media/object-storage';
import { uploadMaxFileSizeFrom } from '../src/media/upload-limits';
import { allowedOrigins, EXPOSED_HEADERS } from '../src/security/cors';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  // First: a shutdown waits for every request's handler, even one whose client has gone.
  'global::requests-in-flight',
  // Every log line of a request carries its id, Strapi's access line included.
  'global::request-id',
  // Before the logger, the rate limit and the response cache: scrapes are not logged, limited or cached.
  'global::metrics',
  'strapi::logger',
  'strapi::errors',
  'global::internal-errors',
  'global::database-unavailable',
  'global::object-storage-errors',
  // Strapi's CSP, with the origin of files in object storage (src/media/object-storage.ts).
  { name: 'strapi::security', config: securityConfigFrom(env) },
  {
    name: 'strapi::cors',
    // /graphql too: the GraphQL plugin's own CORS handler runs after this one and keeps them.
    config: { origin: allowedOrigins(env('CORS_ORIGINS'), env('NODE_ENV', 'development')), expose: EXPOSED_HEADERS, keepHeadersOnError: true },
  },
  {
    name: 'global::rate-limit',
    config: {
      enabled: env.bool('RATE_LIMIT_ENABLED', true),
      points: env.int('RATE_LIMIT_POINTS', 600),
      duration: env.int('RATE_LIMIT_DURATION', 60),
    },
  },
  { name: 'global::sql-statements-header', config: { enabled: env.bool('SQL_COUNT_HEADER', false) } },
  'strapi::query',
  'global::query-shape',
  { name: 'global::upload-size', config: { maxFileSize: uploadMaxFileSizeFrom(env) } },
  // The same limit as the upload plugin's sizeLimit (config/plugins.ts): a larger file is not even read.
  { name: 'strapi::body', config: { formidable: { maxFileSize: uploadMaxFileSizeFrom(env) } } },
  'global::graphql-unknown-fragments',
  {
    name: 'global::public-cache-headers',
    config: { maxAge: env.int('HTTP_CACHE_MAX_AGE', 0), sharedMaxAge: env.int('HTTP_CACHE_SHARED_MAX_AGE', 0) },
  },
  {
    name: 'global::graphql-response-cache',
    config: {
      enabled: env.bool('RESPONSE_CACHE', true),
      ttl: env.int('RESPONSE_CACHE_TTL', 300),
      maxEntries: env.int('RESPONSE_CACHE_MAX_ENTRIES', 5000),
      maxAge: env.int('HTTP_CACHE_MAX_AGE', 0),
      sharedMaxAge: env.int('HTTP_CACHE_SHARED_MAX_AGE', 0),
    },
  },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
