import { spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { waitFor } from '../../faults/support/fault-suite';
import { freePort } from '../../helpers/ports';

export const HAPROXY = process.env.HAPROXY_PATH || '/usr/sbin/haproxy';
/** The shipped configuration, run as it is: the tests give it addresses through its variables. */
export const HAPROXY_CONFIG = path.join(__dirname, '..', '..', '..', 'deploy', 'haproxy', 'haproxy.cfg');

interface Output {
  text: string;
}
const keepOutput = (child: ChildProcess): Output => {
  const output = { text: '' };
  const keep = (chunk: Buffer) => (output.text = (output.text + chunk.toString()).slice(-200000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return output;
};
const exitOf = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

export interface OwnRedis {
  url: string;
  /** Stops it as an outage would: SHUTDOWN SAVE, it comes back with what it held (or NOSAVE: empty). */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Starts it again on the same port, with the data it held. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server of the test's own, on a free port: the machine's Redis (6379) is shared with
 * other tests and must never be stopped. Stopped with SHUTDOWN SAVE and started again from its
 * dump, it comes back with the answers it cached: the harder case for staleness (a Redis
 * restarted empty holds nothing stale).
 */
export const startOwnRedis = async (): Promise<OwnRedis> => {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-redis-'));
  let child: ChildProcess | undefined;
  const cli = (...args: string[]) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    keepOutput(child);
    await waitFor('the test Redis to answer', () => cli('ping').stdout.trim() === 'PONG', 10000);
  };
  const stop = async ({ keepData = true } = {}) => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    cli('shutdown', keepData ? 'save' : 'nosave');
    await exitOf(running);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      child?.kill('SIGKILL');
      if (child) await exitOf(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

export interface ServerStats {
  /** UP, DOWN, MAINT... as HAProxy sees the server now. */
  status: string;
  /** Requests it is serving now. */
  current: number;
  /** Requests sent to it since HAProxy started. */
  total: number;
}

export interface Haproxy {
  url: string;
  /** Per server (cms1, cms2, cms3), from the runtime API (`show stat`). */
  stats(): Promise<Record<string, ServerStats>>;
  output(): string;
  stop(): Promise<void>;
}

const runtimeCommand = (socket: string, command: string) =>
  new Promise<string>((resolve, reject) => {
    let answer = '';
    const connection = net.connect(socket, () => connection.end(`${command}\n`));
    connection.on('data', (chunk) => (answer += chunk.toString()));
    connection.on('error', reject);
    connection.on('close', () => resolve(answer));
  });

/** HAProxy with deploy/haproxy/haproxy.cfg in front of `servers` (host:port each). */
export const startHaproxy = async (servers: string[]): Promise<Haproxy> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-haproxy-'));
  const socket = path.join(dir, 'admin.sock');
  const port = await freePort();
  const env = {
    ...process.env,
    HAPROXY_BIND: `127.0.0.1:${port}`,
    HAPROXY_STATS_SOCKET: socket,
    ...Object.fromEntries(servers.map((server, index) => [`CMS_SERVER_${index + 1}`, server])),
  };
  const child = spawn(HAPROXY, ['-W', '-db', '-f', HAPROXY_CONFIG], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const stats = async () => {
    const csv = await runtimeCommand(socket, 'show stat');
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header.indexOf(name);
    return Object.fromEntries(
      rows
        .filter((row) => row[column('pxname')] === 'cms_instances' && !['FRONTEND', 'BACKEND'].includes(row[column('svname')]))
        .map((row) => [row[column('svname')], { status: row[column('status')], current: Number(row[column('scur')]), total: Number(row[column('stot')]) }])
    );
  };
  await waitFor('HAProxy to start', () => fs.existsSync(socket) || child.exitCode !== null, 10000);
  if (child.exitCode !== null) throw new Error(`HAProxy did not start:\n${output.text}`);
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    output: () => output.text,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitOf(child);
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};
