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
  /**
   * A new database holding exactly what this one holds (same ids, documentIds, timestamps):
   * a copy of the SQLite file, or CREATE DATABASE ... TEMPLATE on PostgreSQL. Nothing may be
   * connected to this database meanwhile (stop its Strapi first).
   */
  copy(): Promise<TestDatabase>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  if (testDatabaseKind() === 'postgres') {
    const name = newDatabaseName();
    await adminQuery(`CREATE DATABASE ${name}`);
    return postgresDatabase(name);
  }
  const filename = path.join(process.cwd(), '.tmp', 'tests', `${newDatabaseName()}.db`);
  fs.mkdirSync(path.dirname(filename), { recursive: true });
  return sqliteDatabase(filename);
};

const newDatabaseName = () => `ipam_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

const SQLITE_FILES = ['', '-wal', '-shm', '-journal'];

const sqliteDatabase = (filename: string): TestDatabase => ({
  env: { DATABASE_FILENAME: filename, DATABASE_URL: '' },
  drop: async () => {
    for (const suffix of SQLITE_FILES) fs.rmSync(filename + suffix, { force: true });
  },
  async copy() {
    const copy = path.join(path.dirname(filename), `${newDatabaseName()}.db`);
    for (const suffix of SQLITE_FILES) if (fs.existsSync(filename + suffix)) fs.copyFileSync(filename + suffix, copy + suffix);
    return sqliteDatabase(copy);
  },
});

const postgresDatabase = (name: string): TestDatabase => {
  const server = postgresServerUrl();
  if (!server) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (or CI set, for the local server).');
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    async copy() {
      const copy = newDatabaseName();
      // A pool just closed may still hold a connection for a moment: the template must have none.
      for (let attempt = 1; ; attempt++) {
        try {
          await adminQuery(`CREATE DATABASE ${copy} TEMPLATE ${name}`);
          return postgresDatabase(copy);
        } catch (error) {
          if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
          await sleep(250);
        }
      }
    },
  };
};

// better-sqlite3 ships no types; this is all the tests use of it.
const Sqlite = require('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };

/** Renames a table under a running server, on a connection of its own: a real internal error for the server. */
export const renameTable = async (database: TestDatabase, from: string, to: string) => {
  if (testDatabaseKind() === 'postgres') {
    const client = new Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`alter table ${from} rename to ${to}`);
    } finally {
      await client.end();
    }
    return;
  }
  const sqlite = new Sqlite(database.env.DATABASE_FILENAME);
  try {
    sqlite.exec(`alter table ${from} rename to ${to}`);
  } finally {
    sqlite.close();
  }
};
