import type { Core } from '@strapi/strapi';
import { allowedOrigins } from '../src/security/cors';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
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
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
