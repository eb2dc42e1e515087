import http from 'http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): any;
}

let addresses = 0;

/**
 * A loopback address of its own for each request (127.1.0.1, 127.1.0.2, ...: Linux answers on
 * all of 127/8). HAProxy tells the instances the client's address, and the rate limit counts per
 * address: each request comes from a client of its own unless a test names one.
 */
export const freshClientAddress = () => {
  const n = addresses++;
  return `127.${1 + (Math.floor(n / 62500) % 200)}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
};

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** The client address to connect from (default: a fresh one). */
  from?: string;
  timeoutMs?: number;
}

/** One request on a connection of its own (no keep-alive: nothing outlives a test). */
export const send = (url: string, { method = 'GET', headers = {}, body, from = freshClientAddress(), timeoutMs = 15000 }: RequestOptions = {}) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      url,
      {
        method,
        localAddress: from,
        agent: false,
        headers: { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}), ...headers },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json: () => JSON.parse(text) });
        });
      }
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });

/** A GraphQL query sent as GET (idempotent: the load balancer may retry it). */
export const graphqlGet = (baseUrl: string, query: string, variables: Record<string, unknown>, options: RequestOptions = {}) =>
  send(`${baseUrl}/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, options);
