import type { Core } from '@strapi/strapi';
import { logFormatFrom } from '../src/observability/log-format';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Strapi 5 hands Koa `proxy.koa` (a bare `proxy: true` was ignored: X-Forwarded-For never counted).
  proxy: { koa: env.bool('IS_PROXIED', false) },
  logger: {
    config: { level: env('LOG_LEVEL', 'http') },
    updates: { enabled: false },
    // Strapi's start-up box is printed outside the logger: JSON logs are nothing but JSON lines.
    startup: { enabled: logFormatFrom(env('LOG_FORMAT'), env('NODE_ENV')) !== 'json' },
  },
  app: {
    keys: env.array('APP_KEYS', []),
  },
});
