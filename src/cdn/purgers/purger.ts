/** Tells a CDN (or Varnish) to forget every answer tagged with any of `keys`. */
export interface Purger {
  readonly name: string;
  purge(keys: string[]): Promise<void>;
}

/** Splits keys into batches of at most `size` (each CDN's limit per request). */
export const batches = (keys: string[], size: number) =>
  Array.from({ length: Math.ceil(keys.length / size) }, (_, index) => keys.slice(index * size, (index + 1) * size));

/** Fails on an answer that is not 2xx, with what the CDN said. */
export const expectOk = async (response: Response, what: string) => {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
};

/** A CDN that does not answer within this long fails (and is logged): writes wait for purges. */
export const PURGE_TIMEOUT_MS = 5000;
