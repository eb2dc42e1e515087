import { send, type Answer } from './http';

export interface LoadResult {
  sent: number;
  ok: number;
  /** Every failed request: its URL and what went wrong (status and body start, or the error). */
  failures: string[];
}

export interface Load {
  /** Requests answered so far (successfully or not): lets a test wait for traffic. */
  answered(): number;
  /** Stops the clients, waits for the requests under way, and tells exactly what happened. */
  stop(): Promise<LoadResult>;
}

/** A failure is anything but a 200 with a body free of GraphQL errors. */
const failureOf = (answer: Answer): string | undefined => {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.text.startsWith('{') && 'errors' in (answer.json() as object)) return `GraphQL errors: ${answer.text.slice(0, 200)}`;
  return undefined;
};

/**
 * `clients` loops, each sending the next of `urls` (GET: idempotent) as soon as the previous one
 * is answered, each request from a client address of its own, until stopped.
 */
export const startLoad = (urls: string[], clients: number): Load => {
  let running = true;
  let sent = 0;
  let answered = 0;
  const failures: string[] = [];
  const loop = async (offset: number) => {
    for (let i = offset; running; i += clients) {
      const url = urls[i % urls.length];
      sent += 1;
      const failure = await send(url).then(failureOf, (error: Error) => `no answer: ${error.message}`);
      answered += 1;
      if (failure) failures.push(`GET ${url.replace(/^https?:\/\/[^/]+/, '').slice(0, 80)}: ${failure}`);
    }
  };
  const loops = Array.from({ length: clients }, (_, index) => loop(index));
  return {
    answered: () => answered,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { sent, ok: sent - failures.length, failures };
    },
  };
};
