import { adminQuery } from '../../helpers/database';
import { startStrapiProcess, type StrapiProcess } from '../../faults/support/strapi-process';
import type { FuzzRequest } from './requests';

/** One server of the comparison, in a child process, restartable when a request hangs it. */
export class Server {
  private process: StrapiProcess | undefined;
  constructor(
    readonly name: 'honest' | 'fixture',
    private readonly env: Record<string, string>
  ) {}

  async start() {
    this.process = await startStrapiProcess(this.env);
  }

  get baseUrl() {
    return this.process!.baseUrl;
  }

  /**
   * Makes the server answer again after a request got no answer. On PostgreSQL, statements still
   * running on its database after `seconds` are cancelled (they would hold the pool's connections).
   * On SQLite a hung statement blocks the process: when /_health gets no answer within 2 s, the
   * server is killed and started again.
   */
  async ensureAnswering(seconds: number): Promise<boolean> {
    const postgres = this.env.DATABASE_URL ? new URL(this.env.DATABASE_URL).pathname.slice(1) : undefined;
    if (postgres) {
      await adminQuery(
        `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = '${postgres}' AND state = 'active' AND pid <> pg_backend_pid() AND now() - query_start > interval '${seconds} seconds'`
      );
    }
    const health = await fetch(`${this.baseUrl}/_health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (health?.status === 204) return true;
    this.process!.kill(); // no graceful wait: the event loop is stuck
    await this.process!.exited;
    await this.start();
    return false;
  }

  async stop() {
    await this.process?.stop();
    this.process = undefined;
  }
}

export interface Answer {
  status: number;
  /** The body as compared: JSON re-serialized, other bodies as text. */
  body: string;
  ms: number;
  timedOut?: boolean;
}

export const send = async (server: Server, request: FuzzRequest, token: string | undefined, timeoutMs: number): Promise<Answer> => {
  const started = performance.now();
  try {
    const res = await fetch(server.baseUrl + request.path, {
      method: request.method,
      headers: { ...(request.body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: normalize(text), ms: performance.now() - started };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
    return { status: 0, body: timedOut ? `(no answer within ${timeoutMs} ms)` : `(request failed: ${(error as Error).message})`, ms: performance.now() - started, timedOut };
  }
};

/**
 * The answer as compared. JSON bodies are parsed and written again (the same bytes for the same
 * value). Nothing else is normalized: both servers run the same code, secrets, PUBLIC_URL and
 * clock, on databases that are byte-for-byte copies apart from the fixtures, so any difference
 * is something the fixtures caused. (Error messages carry no ids here; if masking ever adds one,
 * normalize exactly that field, and say so.)
 */
const normalize = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
};

export interface Outcome {
  request: FuzzRequest;
  honest: Answer;
  fixture: Answer;
}

/**
 * Sends every request to both servers at the same time, `concurrency` requests in flight. A
 * request that gets no answer may have been stuck behind another one that hung the server: once
 * every server answers again, each such request is sent again on its own (with `retry`), and only
 * a second timeout counts.
 */
export const runAll = async (
  requests: FuzzRequest[],
  servers: { honest: Server; fixture: Server },
  tokenFor: (request: FuzzRequest) => string | undefined,
  options: { concurrency: number; timeoutMs: number; retry: boolean }
): Promise<Outcome[]> => {
  const outcomes: Outcome[] = new Array(requests.length);
  const pair = async (request: FuzzRequest): Promise<Outcome> => {
    const [honest, fixture] = await Promise.all([send(servers.honest, request, tokenFor(request), options.timeoutMs), send(servers.fixture, request, tokenFor(request), options.timeoutMs)]);
    return { request, honest, fixture };
  };
  const recover = async () => {
    const seconds = Math.floor(options.timeoutMs / 1000);
    await Promise.all([servers.honest.ensureAnswering(seconds), servers.fixture.ensureAnswering(seconds)]);
  };
  let next = 0;
  let recovering: Promise<void> | undefined;
  const suspects: number[] = [];
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      if (recovering) await recovering;
      const outcome = await pair(requests[index]);
      outcomes[index] = outcome;
      if (outcome.honest.timedOut || outcome.fixture.timedOut) {
        suspects.push(index);
        recovering ??= recover().finally(() => (recovering = undefined));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  if (recovering) await recovering;
  for (const index of options.retry ? suspects.sort((a, b) => a - b) : []) {
    outcomes[index] = await pair(requests[index]);
    if (outcomes[index].honest.timedOut || outcomes[index].fixture.timedOut) await recover();
  }
  return outcomes;
};
