import { Webhook } from 'standardwebhooks';

/** config/webhooks.ts */
export interface WebhookConfig {
  /** The URLs every event is sent to (each gets its own delivery, retried on its own). */
  targets: string[];
  /** `whsec_` + base64 (Standard Webhooks): the key every target verifies signatures with. */
  secret: string;
  /** How often pending deliveries are looked for (besides right after each change commits). */
  pollIntervalMs: number;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
  /** The delay before the first retry; doubled each attempt, with jitter, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** After this many failed attempts a delivery is marked failed and not sent again. */
  maxAttempts: number;
}

const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
/** Standard Webhooks asks for 24 to 64 random bytes. */
const MIN_SECRET_BYTES = 24;

/**
 * The webhook settings, or undefined when no target is configured; throws a message naming the
 * variable to fix when they cannot work (a start that would sign with a bad key, or send nowhere).
 */
export const webhookSettings = (config: Partial<WebhookConfig> | undefined): WebhookConfig | undefined => {
  if (!config?.targets?.length) return undefined;
  for (const target of config.targets) {
    let url: URL | undefined;
    try {
      url = new URL(target);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      throw new Error(`WEBHOOK_TARGETS: "${target}" is not an http(s) URL (give comma-separated URLs).`);
    }
  }
  const secret = config.secret ?? '';
  if (!SECRET.test(secret) || Buffer.from(secret.slice('whsec_'.length), 'base64').length < MIN_SECRET_BYTES) {
    throw new Error(
      `WEBHOOK_SECRET must be "whsec_" followed by at least ${MIN_SECRET_BYTES} random bytes in base64 when WEBHOOK_TARGETS is set ` +
        `(e.g. node -e "console.log('whsec_' + require('crypto').randomBytes(32).toString('base64'))").`
    );
  }
  new Webhook(secret);
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds (or attempts) of 0 or more; it is ${value}.`);
    return value;
  };
  return {
    targets: config.targets,
    secret,
    pollIntervalMs: Math.max(50, positive('WEBHOOK_POLL_INTERVAL', config.pollIntervalMs, 5000)),
    timeoutMs: Math.max(100, positive('WEBHOOK_TIMEOUT_MS', config.timeoutMs, 10000)),
    retryBaseMs: positive('WEBHOOK_RETRY_BASE_MS', config.retryBaseMs, 10000),
    retryMaxMs: positive('WEBHOOK_RETRY_MAX_MS', config.retryMaxMs, 3600000),
    maxAttempts: Math.max(1, positive('WEBHOOK_MAX_ATTEMPTS', config.maxAttempts, 12)),
  };
};

/**
 * The delay before attempt `failedAttempts + 1`: base · 2^(failed − 1), capped, with "equal
 * jitter" (half fixed, half random) so that targets coming back are not hit by every instance at once.
 */
export const retryDelayMs = (settings: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxMs'>, failedAttempts: number, random = Math.random) => {
  const exponential = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
};

/** A target as logs and messages show it: no credentials, no query string (either may hold a token). */
export const describeTarget = (target: string) => {
  const url = new URL(target);
  return `${url.origin}${url.pathname}`;
};

/**
 * A message about a target (lastError, logs) with the target's query string and credentials
 * taken out wherever it quotes them (an error naming the URL, an answer echoing the request).
 */
export const withoutTargetSecrets = (message: string, target: string) => {
  const url = new URL(target);
  const replace = (text: string, parts: string[], by: string) =>
    parts.filter(Boolean).reduce((safe, part) => safe.split(part).join(by), text);
  const decoded = (part: string) => (part ? decodeURIComponent(part) : '');
  // Whole URLs first, so that they read as their description rather than as a URL with holes.
  const withoutUrls = replace(message, [target, url.href], describeTarget(target));
  return replace(replace(withoutUrls, [url.search, decoded(url.search)], '?…'), [url.password, decoded(url.password)], '…');
};
