import crypto from 'crypto';
import knex from 'knex';
import { Webhook } from 'standardwebhooks';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database';
import { freePort } from '../helpers/ports';
import { startStrapiProcess, type StrapiProcess } from '../faults/support/strapi-process';
import { startTargetServer, type TargetServer } from './support/target-server';

const SECRET = `whsec_${crypto.randomBytes(32).toString('base64')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Row = { message_id: string; delivery_status: string; attempts: number };

/** The outbox as the database holds it (read beside the servers, not through them). */
const readOutbox = async (database: TestDatabase): Promise<Row[]> => {
  const db =
    testDatabaseKind() === 'postgres'
      ? knex({ client: 'pg', connection: database.env.DATABASE_URL })
      : knex({ client: 'better-sqlite3', connection: { filename: database.env.DATABASE_FILENAME }, useNullAsDefault: true });
  try {
    const rows = await db('webhook_deliveries').select('message_id', 'delivery_status', 'attempts').orderBy('id');
    return rows.map((row) => ({ ...row, attempts: Number(row.attempts) }));
  } finally {
    await db.destroy();
  }
};

const waitForOutbox = async (database: TestDatabase, check: (rows: Row[]) => boolean, what: string, ms = 30000) => {
  let rows: Row[] = [];
  for (let waited = 0; waited < ms; waited += 200) {
    rows = await readOutbox(database).catch(() => []);
    if (rows.length && check(rows)) return rows;
    await sleep(200);
  }
  throw new Error(`Outbox: ${what} not within ${ms} ms: ${JSON.stringify(rows)}`);
};

/**
 * The outbox outlives the process: what a stopped instance could not send, the next start sends;
 * and instances sharing a database send each delivery once (the lease), every attempt recorded.
 */
describe('webhook outbox across restarts and instances', () => {
  let database: TestDatabase;
  let target: TargetServer | undefined;
  const servers: StrapiProcess[] = [];
  let port: number;
  const start = async () => {
    const server = await startStrapiProcess({
      ...database.env,
      WEBHOOK_TARGETS: `http://127.0.0.1:${port}/api/revalidate`,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_POLL_INTERVAL: '100',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '400',
      WEBHOOK_MAX_ATTEMPTS: '100',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    servers.push(server);
    return server;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await target?.close();
    await database?.drop();
  });

  it('sends after a restart what could not be sent before it, and two instances send each delivery once', async () => {
    // The target is down: the seed's events are tried (connection refused) and stay pending.
    const first = await start();
    const tried = await waitForOutbox(database, (rows) => rows.every((row) => row.attempts >= 1), 'an attempt at every seed event');
    await first.stop();
    expect(tried.every((row) => row.delivery_status === 'pending')).toBe(true);
    const attemptsWhileDown = new Map((await readOutbox(database)).map((row) => [row.message_id, row.attempts]));
    expect(attemptsWhileDown.size).toBeGreaterThan(3);

    // The target comes back, refusing for a while (503), while two instances share the outbox.
    target = await startTargetServer(port);
    target.answer(503);
    await Promise.all([start(), start()]);
    await target.waitUntil(() => target!.received.length >= attemptsWhileDown.size * 2, 'retries from both instances');
    target.answer(200);

    const rows = await waitForOutbox(database, (all) => all.every((row) => row.delivery_status === 'delivered'), 'every delivery delivered');
    await target.settled();
    for (const row of rows) {
      const attempts = target.received.filter(({ headers }) => headers['webhook-id'] === row.message_id);
      // Each recorded attempt reached the target once: no two instances sent the same row at once.
      expect({ id: row.message_id, received: attempts.length }).toEqual({ id: row.message_id, received: row.attempts - attemptsWhileDown.get(row.message_id)! });
      const accepted = attempts.filter(({ answered }) => answered === 200);
      expect({ id: row.message_id, accepted: accepted.length }).toEqual({ id: row.message_id, accepted: 1 });
      expect(() => new Webhook(SECRET).verify(accepted[0].body, accepted[0].headers as Record<string, string>)).not.toThrow();
    }
    // Three start-ups of a real server, two of them at once: minutes on a loaded 2-core machine.
  }, 300000);
});
