#!/usr/bin/env node
// Local development needs no manual step: on first run, write a .env with freshly generated
// secrets (never committed; see .gitignore). Production must bring its own (config/env/production).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** Every secret Strapi needs, freshly generated. */
const freshSecrets = () => {
  const secret = () => crypto.randomBytes(16).toString('base64');
  return {
    APP_KEYS: [secret(), secret(), secret(), secret()].join(','),
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),
  };
};

const ensureDevEnv = () => {
  const envFile = path.join(__dirname, '..', '.env');
  if (process.env.NODE_ENV === 'production' || fs.existsSync(envFile)) return;
  const body = Object.entries(freshSecrets()).map(([name, value]) => `${name}=${value}`).join('\n');
  fs.writeFileSync(envFile, `# Generated for local development by scripts/ensure-dev-env.js. Do not commit.\n${body}\n`, { mode: 0o600 });
  console.log('Wrote .env with new development secrets.');
};

if (require.main === module) ensureDevEnv();
module.exports = { ensureDevEnv, freshSecrets };
