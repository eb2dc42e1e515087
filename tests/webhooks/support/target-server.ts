import http from 'http';
import type { AddressInfo } from 'net';

/**
 * What the target does with one request: answer a status, close the connection without an
 * answer, or hang (accept it and never answer, until the sender gives up).
 */
export type Behaviour = number | 'close' | 'hang';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  /** The request's path and query string. */
  path: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  body: string;
  event: { type: string; data: { eventId: string; documents: Array<{ type: string; documentId: string; slug: string | null; previousSlug?: string }>; keys: string[] } };
  /** What the target did with it. */
  answered: Behaviour;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A front end's webhook endpoint, a real HTTP server on 127.0.0.1: records every delivery and
 * answers `otherwise` (200 unless changed), except for events naming a document given a script
 * of behaviours (`fail(documentId, [500, 'close'])`), which are used up one request at a time.
 */
export const startTargetServer = async (port = 0, options: { beforeAnswer?: (delivery: ReceivedWebhook) => Promise<void> } = {}) => {
  const received: ReceivedWebhook[] = [];
  const scripts = new Map<string, Behaviour[]>();
  const state = { otherwise: 200 as Behaviour };
  const server = http.createServer((req, res) => {
    const at = Date.now();
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const event = JSON.parse(body) as ReceivedWebhook['event'];
      const script = scripts.get(event.data.documents[0]?.documentId ?? '');
      const answered = script?.length ? script.shift()! : state.otherwise;
      const delivery = { headers: req.headers, path: req.url ?? '', at, body, event, answered };
      // Before it is recorded, so that waitUntil() sees it only once the hook has run.
      await options.beforeAnswer?.(delivery);
      received.push(delivery);
      if (answered === 'close') req.socket.destroy();
      else if (answered !== 'hang') res.writeHead(answered, { 'Content-Type': 'text/plain' }).end(answered < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/revalidate`;
  return {
    url,
    received,
    fail: (documentId: string, behaviours: Behaviour[]) => scripts.set(documentId, [...behaviours]),
    answer: (behaviour: Behaviour) => (state.otherwise = behaviour),
    /** The deliveries so far whose event names this document. */
    about: (documentId: string) => received.filter(({ event }) => event.data.documents.some((document) => document.documentId === documentId)),
    /** Waits (at most `ms`) until `check` holds for what was received. */
    async waitUntil(check: () => boolean, what: string, ms = 15000) {
      for (let waited = 0; !check(); waited += 25) {
        if (waited > ms) throw new Error(`Target: ${what} not within ${ms} ms; got ${JSON.stringify(received.map(({ event, answered }) => [event.type, event.data.documents, answered]))}`);
        await sleep(25);
      }
    },
    /** Waits until nothing came for `quietMs` (deliveries of earlier writes are all in). */
    async settled(quietMs = 500) {
      let count = -1;
      while (count !== received.length) {
        count = received.length;
        await sleep(quietMs);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests would keep it open.
        server.closeAllConnections();
      }),
  };
};

export type TargetServer = Awaited<ReturnType<typeof startTargetServer>>;
