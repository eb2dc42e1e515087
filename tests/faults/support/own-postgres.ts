import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { Client } from 'pg';
import { freePort } from '../../helpers/ports';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the suite's own, in a temporary folder, on a free port, that the suite
 * may stop and start at will: never the machine's shared server. As root (CI), the PostgreSQL
 * binaries run as the `postgres` OS user, since initdb refuses root.
 */
export interface OwnPostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** `fast` ends sessions cleanly (a maintenance restart); `immediate` kills them (a crash). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** /usr/lib/postgresql/<highest version>/bin (Debian's and Ubuntu's layout), or '' when there is none. */
export const postgresBinaries = () => {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  if (versions.length === 0) return '';
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return path.join(root, newest, 'bin');
};

/** Whether this machine can run a PostgreSQL of our own (initdb found, and a postgres user when root). */
export const ownPostgresUnsupportedReason = (): string | undefined => {
  const binaries = postgresBinaries();
  if (!binaries || !fs.existsSync(path.join(binaries, 'initdb'))) return 'initdb not found under /usr/lib/postgresql/<version>/bin';
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root, and there is no `postgres` OS user to run initdb as';
    }
  }
  return undefined;
};

const pgBinary = (name: string, args: string[], timeoutMs = 30000) => {
  const binary = path.join(postgresBinaries(), name);
  return isRoot()
    ? run('runuser', ['-u', 'postgres', '--', binary, ...args], { timeout: timeoutMs })
    : run(binary, args, { timeout: timeoutMs });
};

export const startOwnPostgres = async (): Promise<OwnPostgres> => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-own-pg-'));
  const data = path.join(folder, 'data');
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(folder, uid, gid);
  }
  const port = await freePort();
  let running = false;

  // Only TCP on 127.0.0.1 and a socket in our own folder: nothing shared with the machine's server.
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`;
  const start = async () => {
    await pgBinary('pg_ctl', ['-D', data, '-l', path.join(folder, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await pgBinary('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
    running = false;
  };
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;

  try {
    await pgBinary('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    await start();
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url,
    start,
    stop,
    async createDatabase(name) {
      const client = new Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
    },
    async destroy() {
      if (running) await stop('immediate').catch(() => {});
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
};
