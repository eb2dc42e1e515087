import type { Core } from '@strapi/strapi';

export default ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  proxy: env.bool('IS_PROXIED', false),
  logger: {
    config: { level: env('LOG_LEVEL', 'http') },
    updates: { enabled: false },
  },
  app: {
    keys: env.array('APP_KEYS', []),
  },
});
