import type { Core } from '@strapi/strapi';
import { isAbsoluteUrl } from '../workshops/links';

/** Where each secret lands in Strapi's configuration, by the variable that sets it. */
const SECRETS: Record<string, string> = {
  APP_KEYS: 'server.app.keys',
  ADMIN_JWT_SECRET: 'admin.auth.secret',
  API_TOKEN_SALT: 'admin.apiToken.salt',
  TRANSFER_TOKEN_SALT: 'admin.transfer.token.salt',
  ENCRYPTION_KEY: 'admin.secrets.encryptionKey',
  JWT_SECRET: 'plugin::users-permissions.jwtSecret',
};

/** Values of .env.example that must never run. */
const PLACEHOLDER = /^tobemodified/i;

const isMissing = (value: unknown) =>
  Array.isArray(value) ? value.length === 0 || value.some(isMissing) : typeof value !== 'string' || !value || PLACEHOLDER.test(value);

/**
 * Refuses to start without real secrets. Checked at start-up rather than in config/, because
 * `strapi build` loads the configuration too and the admin build needs none of them.
 * Development gets them from the .env that scripts/ensure-dev-env.js writes on first run.
 */
export const assertRealSecrets = (strapi: Core.Strapi) => {
  const missing = Object.entries(SECRETS)
    .filter(([, key]) => isMissing(strapi.config.get(key)))
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(
      `Missing secrets: ${missing.join(', ')} (unset, or still the placeholder of .env.example). ` +
        (strapi.config.get('environment') === 'production'
          ? 'Set them in the environment; production never runs without them.'
          : 'Run `npm run develop` once to generate a .env, or set them in the environment.')
    );
  }
};

/**
 * Production refuses to start without PUBLIC_URL: absolute links (Workshop.calendarUrl) are built
 * from it, and cached for every reader, so they must never come from a request's Host header.
 * Elsewhere they default to http://localhost:<PORT> (src/workshops/links.ts).
 */
export const assertPublicUrl = (strapi: Core.Strapi) => {
  if (strapi.config.get('environment') !== 'production') return;
  const url = strapi.config.get('server.url');
  if (!isAbsoluteUrl(url)) {
    throw new Error(
      `PUBLIC_URL is ${url ? `not an absolute http(s) URL (the server's url is "${String(url)}")` : 'not set'}. Production needs the public address ` +
        'of this server (e.g. PUBLIC_URL=https://cms.example.org): absolute links such as Workshop.calendarUrl are built from it, ' +
        "never from a request's Host header."
    );
  }
};
