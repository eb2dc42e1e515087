import { Client } from 'pg';
import { START_UP_LOCK_KEY } from '../../src/database/start-up-lock';
import { createTestDatabase, testDatabaseKind } from '../helpers/database';
import { startStrapiProcess } from '../faults/support/strapi-process';
import { waitFor } from '../faults/support/fault-suite';

const onPostgres = testDatabaseKind() === 'postgres' ? describe : describe.skip;
if (testDatabaseKind() !== 'postgres') process.stderr.write('Skipping the start-up lock test: SQLite is one process by nature, no lock.\n');

/**
 * src/database/start-up-lock.ts relies on Strapi's load order: every register() runs before
 * Strapi opens the database for its schema sync. Should an upgrade change that, instances
 * started at once would race in the schema sync again; this test fails by that name.
 */
onPostgres('start-up lock', () => {
  it("Strapi runs register() before its schema sync: an instance waits for the lock before it creates any table, and starts once it is free", async () => {
    const database = await createTestDatabase();
    const holder = new Client({ connectionString: database.env.DATABASE_URL });
    await holder.connect();
    try {
      // Another instance starting: the test holds the lock.
      await holder.query('SELECT pg_advisory_lock($1)', [START_UP_LOCK_KEY.toString()]);
      const starting = startStrapiProcess(database.env, { startTimeoutMs: 120000 });
      const waiting = async () =>
        (await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).rows[0].n;
      await waitFor('the instance to wait for the start-up lock', async () => (await waiting()) === 1, 60000);
      const tables = await holder.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows).toEqual([]);

      await holder.query('SELECT pg_advisory_unlock($1)', [START_UP_LOCK_KEY.toString()]);
      const server = await starting;
      try {
        expect((await server.http().get('/_ready')).status).toBe(200);
        // Released at the end of bootstrap: nothing holds it once the instance serves.
        const held = await holder.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        expect(held.rows[0].n).toBe(0);
      } finally {
        await server.stop();
      }
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});
