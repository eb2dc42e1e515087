import { batches, expectOk, PURGE_TIMEOUT_MS, type Purger } from './purger';

/** Fastly takes at most 256 surrogate keys per purge request. */
const KEYS_PER_REQUEST = 256;

/**
 * Fastly's purge by surrogate key: `POST {api}/service/{serviceId}/purge` with the keys in a
 * `Surrogate-Key` header and an API token allowed to purge (`Fastly-Key`).
 */
export const fastlyPurger = ({ serviceId, token, apiUrl }: { serviceId: string; token: string; apiUrl: string }): Purger => ({
  name: 'fastly',
  async purge(keys) {
    for (const batch of batches(keys, KEYS_PER_REQUEST)) {
      const response = await fetch(`${apiUrl.replace(/\/$/, '')}/service/${encodeURIComponent(serviceId)}/purge`, {
        method: 'POST',
        signal: AbortSignal.timeout(PURGE_TIMEOUT_MS),
        headers: { 'Fastly-Key': token, 'Surrogate-Key': batch.join(' '), Accept: 'application/json' },
      });
      await expectOk(response, 'Fastly');
    }
  },
});
