import type { Core } from '@strapi/strapi';
import { onPublicChange } from '../public-changes';
import { configuredPurgers, type CdnConfig } from './purgers';

/**
 * Purges the keys of every public change (src/public-changes) from each configured CDN, once the
 * write committed. A CDN that fails is logged, never thrown: the write has happened, and the
 * answers it left stale expire after their s-maxage.
 */
export const registerCdnPurging = (strapi: Core.Strapi) => {
  const purgers = configuredPurgers((strapi.config.get('cdn') ?? {}) as CdnConfig);
  if (!purgers.length) return;
  onPublicChange(async ({ keys }) => {
    await Promise.all(
      purgers.map((purger) =>
        purger.purge(keys).catch((error) => strapi.log.error(`CDN purge (${purger.name}) of ${keys.join(' ')} failed: ${String(error)}`))
      )
    );
  });
};
