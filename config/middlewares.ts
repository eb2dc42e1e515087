import type { Core } from '@strapi/strapi';
import { allowedOrigins } from '../src/security/cors';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
  'global::database-unavailable',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: { origin: allowedOrigins(env('CORS_ORIGINS'), env('NODE_ENV', 'development')), keepHeadersOnError: true },
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
  'strapi::body',
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
