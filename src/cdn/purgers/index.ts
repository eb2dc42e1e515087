import { cloudflarePurger } from './cloudflare';
import { fastlyPurger } from './fastly';
import type { Purger } from './purger';
import { varnishPurger } from './varnish';

export type { Purger } from './purger';

/** config/cdn.ts: each CDN is purged when its settings are there. */
export interface CdnConfig {
  varnishUrls?: string[];
  fastly?: { serviceId?: string; token?: string; apiUrl?: string };
  cloudflare?: { zoneId?: string; token?: string; apiUrl?: string };
}

export const configuredPurgers = ({ varnishUrls = [], fastly = {}, cloudflare = {} }: CdnConfig): Purger[] => [
  ...(varnishUrls.length ? [varnishPurger(varnishUrls)] : []),
  ...(fastly.serviceId && fastly.token ? [fastlyPurger({ serviceId: fastly.serviceId, token: fastly.token, apiUrl: fastly.apiUrl ?? 'https://api.fastly.com' })] : []),
  ...(cloudflare.zoneId && cloudflare.token
    ? [cloudflarePurger({ zoneId: cloudflare.zoneId, token: cloudflare.token, apiUrl: cloudflare.apiUrl ?? 'https://api.cloudflare.com/client/v4' })]
    : []),
];
