import { batches, expectOk, PURGE_TIMEOUT_MS, type Purger } from './purger';

/** Cloudflare takes at most 30 cache tags per purge request. */
const TAGS_PER_REQUEST = 30;

/**
 * Cloudflare's purge by cache tag: `POST {api}/zones/{zoneId}/purge_cache` with `{ "tags": [...] }`
 * and an API token with the zone's Cache Purge permission.
 */
export const cloudflarePurger = ({ zoneId, token, apiUrl }: { zoneId: string; token: string; apiUrl: string }): Purger => ({
  name: 'cloudflare',
  async purge(keys) {
    for (const batch of batches(keys, TAGS_PER_REQUEST)) {
      const response = await fetch(`${apiUrl.replace(/\/$/, '')}/zones/${encodeURIComponent(zoneId)}/purge_cache`, {
        method: 'POST',
        signal: AbortSignal.timeout(PURGE_TIMEOUT_MS),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ tags: batch }),
      });
      await expectOk(response, 'Cloudflare');
    }
  },
});
