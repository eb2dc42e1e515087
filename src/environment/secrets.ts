import type { Core } from '@strapi/strapi';

type Env = Core.Config.Shared.ConfigParams['env'];

/** Values of .env.example that must never run in production. */
const PLACEHOLDER = /^(tobemodified|changeme|replace-me)/i;

/**
 * A secret from the environment. Development gets them from the .env that
 * scripts/ensure-dev-env.js writes on first run; production refuses to start without real ones.
 */
export const secret = (env: Env, name: string): string => {
  const value = env(name, '');
  if (!value || PLACEHOLDER.test(value)) {
    throw new Error(
      `${name} is not set (or still holds the placeholder from .env.example). ` +
        (env('NODE_ENV', 'development') === 'production'
          ? 'Production needs real secrets: set it in the environment.'
          : 'Run `npm run develop` once to generate a .env, or set it in the environment.')
    );
  }
  return value;
};

export const secretList = (env: Env, name: string): string[] => secret(env, name).split(',').map((key) => key.trim());
