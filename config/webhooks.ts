import type { Core } from '@strapi/strapi';
import type { WebhookConfig } from '../src/webhooks/settings';

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Where front ends are told of public changes (src/webhooks, docs/webhooks.md); off without targets. */
export default ({ env }: Core.Config.Shared.ConfigParams): WebhookConfig => ({
  targets: list(env('WEBHOOK_TARGETS', '')),
  secret: env('WEBHOOK_SECRET', ''),
  pollIntervalMs: env.int('WEBHOOK_POLL_INTERVAL', 5000),
  timeoutMs: env.int('WEBHOOK_TIMEOUT_MS', 10000),
  retryBaseMs: env.int('WEBHOOK_RETRY_BASE_MS', 10000),
  retryMaxMs: env.int('WEBHOOK_RETRY_MAX_MS', 3600000),
  maxAttempts: env.int('WEBHOOK_MAX_ATTEMPTS', 12),
});
