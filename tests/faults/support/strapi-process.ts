import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import request from 'supertest';
import { recordingInternalErrors } from '../../helpers/internal-errors';
import { testEnvironment } from '../../helpers/strapi';

export interface StrapiProcess {
  child: ChildProcess;
  baseUrl: string;
  http: () => ReturnType<typeof request>;
  /** Resolves when the process exits, with its exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process printed, for failure messages. */
  output(): string;
  /** Sends SIGTERM, as a process manager does, and returns at once. */
  terminate(): void;
  /** Sends SIGKILL, as a crash or the OOM killer would (not reported as exiting by itself), and returns at once. */
  kill(): void;
  /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The line start-server.js prints once listening, with the port the system gave it. */
const LISTENING = /Listening on port (\d+)/;

/**
 * Starts the compiled project in a child process listening on 127.0.0.1, with fresh secrets, and
 * waits (at most 90 s, or `startTimeoutMs`: instances on one database start one at a time) until /_health answers. `env` must say which database to use (and carries
 * the secrets when the server must accept another one's tokens). The server binds port 0 and
 * says which port it got: a port found free beforehand could be taken meanwhile by another test's
 * server, which would then answer for this one.
 */
export const startStrapiProcess = async (env: Record<string, string>, { startTimeoutMs = 90000 } = {}): Promise<StrapiProcess> => {
  const inherited = { ...process.env };
  // Nothing shared with other runs: no Redis, no rate limit in the way of a load test.
  delete inherited.REDIS_URL;
  const child = spawn(process.execPath, [path.join(__dirname, 'start-server.js')], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
    env: { ...inherited, ...testEnvironment(), HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  );
  let hasExited = false;
  let stopping = false;
  void exited.then(({ code, signal }) => {
    hasExited = true;
    // A crash is what these tests look for: show why.
    if (!stopping) console.error(`Strapi (pid ${child.pid}) exited by itself (code ${code}, signal ${signal}):\n${output}`);
  });

  let baseUrl = '';
  const http = () => recordingInternalErrors(request(baseUrl));
  const started = Date.now();
  for (;;) {
    if (hasExited) throw new Error(`Strapi exited during start-up:\n${output}`);
    const port = LISTENING.exec(output)?.[1];
    baseUrl = port ? `http://127.0.0.1:${port}` : '';
    const health = port ? await http().get('/_health').timeout(2000).catch(() => undefined) : undefined;
    if (health?.status === 204) break;
    if (Date.now() - started > startTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`Strapi did not answer /_health within ${startTimeoutMs / 1000} s:\n${output}`);
    }
    await sleep(250);
  }

  const terminate = () => {
    stopping = true;
    child.kill('SIGTERM');
  };
  return {
    child,
    baseUrl,
    http,
    exited,
    output: () => output,
    terminate,
    kill() {
      stopping = true;
      child.kill('SIGKILL');
    },
    async stop() {
      if (hasExited) return;
      terminate();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
      await exited;
      clearTimeout(timer);
    },
  };
};
