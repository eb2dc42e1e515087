import crypto from 'crypto';
import path from 'path';
import fs from 'fs';
import { Client } from 'pg';

/** Which database this run tests on: `TEST_DB=postgres` or SQLite (the default). */
export const testDatabaseKind = (): 'sqlite' | 'postgres' => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

/** The PostgreSQL server to create test databases on (not a database the tests use). */
export const postgresServerUrl = () =>
  process.env.TEST_DATABASE_URL ?? (process.env.CI ? 'postgres://postgres@127.0.0.1:5432/postgres' : undefined);

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** Runs one statement on the PostgreSQL server itself (CREATE or DROP DATABASE). */
export const adminQuery = async (sql: string) => {
  const client = new Client({ connectionString: postgresServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** A fresh, empty database for one suite: a new SQLite file, or a new PostgreSQL database. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = `ipam_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (testDatabaseKind() === 'postgres') {
    const server = postgresServerUrl();
    if (!server) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (or CI set, for the local server).');
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const filename = path.join(process.cwd(), '.tmp', 'tests', `${name}.db`);
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  return {
    env: { DATABASE_FILENAME: filename, DATABASE_URL: '' },
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(filename + suffix, { force: true });
    },
  };
};
