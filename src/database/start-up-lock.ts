import type { Core } from '@strapi/strapi';
import { Client, type ClientConfig } from 'pg';

/**
 * The key of the PostgreSQL advisory lock instances hold while they start (any constant: advisory
 * locks are per database, so deployments on other databases never wait for each other).
 */
export const START_UP_LOCK_KEY = 7_069_610_902_017n;

const held = new WeakMap<Core.Strapi, Client>();

type Log = Pick<Core.Strapi['log'], 'info' | 'warn'>;

/** The lock's own connection: the pool's settings, without the statement timeout (waiting is the point). */
const lockConnection = (strapi: Core.Strapi, log: Log) => {
  const { statement_timeout: _statementTimeout, ...connection } = strapi.config.get('database.connection.connection') as ClientConfig;
  const client = new Client({ ...connection, application_name: 'ipam-events-cms start-up lock' });
  // Without a listener, a connection lost while the lock is held would crash the process.
  client.on('error', (error) => log.warn(`Start-up lock: its connection failed (${error.message}); the start goes on without it.`));
  return client;
};

/**
 * Several instances starting at once on one PostgreSQL database race in Strapi's schema sync
 * (two of three crashed with `create table "files" ... already exists` on an empty database),
 * its internal migrations, and in every idempotent-looking bootstrap step (the first
 * administrator, the seed, permissions, layouts): each checks, then writes. Taken in register()
 * (Strapi runs every register() before it opens the database for its schema sync) and released
 * at the end of bootstrap(), this lock makes instances start one after the other. It is a
 * session lock on a connection of its own: a process that dies while starting releases it with
 * its connection. SQLite is one process by nature: no lock.
 */
export const takeStartUpLock = async (strapi: Core.Strapi) => {
  if (strapi.config.get('database.connection.client') !== 'postgres') return;
  const client = lockConnection(strapi, strapi.log);
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [START_UP_LOCK_KEY.toString()]);
  if (!rows[0].locked) {
    strapi.log.info('Start-up: another instance is starting on this database; waiting until it has (PostgreSQL advisory lock).');
    await client.query('SELECT pg_advisory_lock($1)', [START_UP_LOCK_KEY.toString()]);
  }
  held.set(strapi, client);
};

/** Lets the next instance start: at the end of bootstrap(), and on destroy (a start that failed). */
export const releaseStartUpLock = async (strapi: Core.Strapi) => {
  const client = held.get(strapi);
  if (!client) return;
  held.delete(strapi);
  await client.end().catch(() => undefined);
};
