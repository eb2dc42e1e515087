import { execFile } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { adminQuery, postgresServerUrl, testDatabaseKind } from '../helpers/database';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';

const run = promisify(execFile);

const CONTRACT = path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract');
/** Variables for each contract operation: the seeded workshop, one of its people, its series. */
const VARIABLES: Record<string, Record<string, unknown>> = {
  'institute': {},
  'person-page': { slug: 'xavier-bresson' },
  'series-page': { slug: 'julian-schwinger-workshop-on-multiscale-physics' },
  'workshop-list': {},
  'workshop-page': { slug: 'learning-and-emergence-in-molecular-systems' },
};
const SECRETS = ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY'];
/** Absolute links (calendarUrl) come from PUBLIC_URL: the same on both sides. */
const PUBLIC_URL = 'http://cms.test';
const PERSON = { name: 'Backup Person', slug: 'backup-person' };

type Answers = Record<string, unknown>;

const contractAnswers = async (post: (body: object) => Promise<{ status: number; body: { data?: unknown; errors?: unknown } }>) => {
  const answers: Answers = {};
  for (const file of fs.readdirSync(CONTRACT).filter((name) => name.endsWith('.graphql')).sort()) {
    const name = path.basename(file, '.graphql');
    const res = await post({ query: fs.readFileSync(path.join(CONTRACT, file), 'utf8'), variables: VARIABLES[name] ?? {} });
    expect({ name, status: res.status, errors: res.body.errors }).toEqual({ name, status: 200, errors: undefined });
    // Something to compare: the seeded workshop, person and series are found.
    expect({ name, nulls: Object.entries(res.body.data as object).filter(([, value]) => value === null) }).toEqual({ name, nulls: [] });
    answers[name] = res.body.data;
  }
  return answers;
};

/**
 * The backup procedures of docs/operations.md, end to end: back up a running CMS, restore into an
 * empty database, start Strapi on it, and get the same answers to every contract operation; the
 * API token created before the backup still works (a database backup carries admin users and
 * tokens, unlike `strapi export`).
 */
describe(`backup and restore (${testDatabaseKind()})`, () => {
  let scratch: string;
  let source: TestApp | undefined;
  let restored: StrapiProcess | undefined;
  let restoredDatabase: RestoredDatabase | undefined;
  let before: Answers;
  let token: string;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-backup-'));
    source = await startStrapi({ PUBLIC_URL });
    token = (await source.strapi.service('admin::api-token').create({ name: 'backup-test', type: 'full-access', lifespan: null })).accessKey;
    const created = await source.http().post('/api/people').set('Authorization', `Bearer ${token}`).send({ data: PERSON });
    expect(created.status).toBe(201);
    before = await contractAnswers((body) => (source as TestApp).http().post('/graphql').send(body));
    secrets = Object.fromEntries(SECRETS.map((name) => [name, process.env[name] as string]));

    // Backed up while the source serves, as in production; then the source is gone for good.
    const backUpAndRestore = testDatabaseKind() === 'postgres' ? backUpAndRestorePostgres : backUpAndRestoreSqlite;
    restoredDatabase = await backUpAndRestore(scratch);
    await source.stop();
    source = undefined;

    restored = await startStrapiProcess({ ...restoredDatabase.env, ...secrets, PUBLIC_URL, SEED_ON_EMPTY_DATABASE: 'false' });
  });

  afterAll(async () => {
    await source?.stop();
    await restored?.stop();
    await restoredDatabase?.drop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('starts ready on the restored database (/_ready 200)', async () => {
    const res = await (restored as StrapiProcess).http().get('/_ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('answers every contract operation exactly as before the backup', async () => {
    const after = await contractAnswers((body) => (restored as StrapiProcess).http().post('/graphql').send(body));
    expect(after).toEqual(before);
  });

  it('keeps content written through the API and the API token that wrote it', async () => {
    const res = await (restored as StrapiProcess)
      .http()
      .get('/api/people')
      .set('Authorization', `Bearer ${token}`)
      .query({ filters: { slug: PERSON.slug } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining(PERSON)]);
  });
});

/** A database restored from a backup: the environment that points Strapi at it, and its removal. */
interface RestoredDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** better-sqlite3 ships no types (and @types/better-sqlite3 is not installed): the part used here. */
interface SqliteDatabase {
  backup(destination: string): Promise<unknown>;
  close(): void;
}
type SqliteOpen = new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => SqliteDatabase;

/**
 * SQLite: the online backup API (better-sqlite3's `.backup()`) copies the live file consistently
 * while Strapi writes; restoring is putting that copy where DATABASE_FILENAME points.
 */
const backUpAndRestoreSqlite = async (scratch: string): Promise<RestoredDatabase> => {
  const backup = path.join(scratch, 'ipam-backup.db');
  const Database = require('better-sqlite3') as SqliteOpen;
  const live = new Database(process.env.DATABASE_FILENAME as string, { readonly: true, fileMustExist: true });
  try {
    await live.backup(backup);
  } finally {
    live.close();
  }
  const restored = path.join(scratch, 'restored.db');
  fs.copyFileSync(backup, restored);
  return { env: { DATABASE_FILENAME: restored, DATABASE_URL: '' }, drop: async () => fs.rmSync(restored, { force: true }) };
};

/** PostgreSQL: pg_dump (custom format) of the live database, pg_restore into a new empty one. */
const backUpAndRestorePostgres = async (scratch: string): Promise<RestoredDatabase> => {
  const dump = path.join(scratch, 'ipam.pgdump');
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${process.env.DATABASE_URL}`], { timeout: 60000 });

  const name = `ipam_restored_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresServerUrl() as string);
  url.pathname = `/${name}`;
  await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url.toString()}`, dump], { timeout: 60000 });
  return { env: { DATABASE_URL: url.toString() }, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};
