import fs from 'fs';
import net from 'net';
import path from 'path';
import { Client } from 'pg';
import { describeFaults, waitFor } from './support/fault-suite';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres';
import { startStrapiProcess, type StrapiProcess } from './support/strapi-process';

const DATABASE = 'ipam_shutdown';
const WORKSHOP_SLUG = 'learning-and-emergence-in-molecular-systems';
const WORKSHOP_PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', 'workshop-page.graphql'), 'utf8');

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describeFaults('SIGTERM', () => {
  let postgres: OwnPostgres;
  let server: StrapiProcess;
  let lock: Client | undefined;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    await postgres.createDatabase(DATABASE);
    // In production, as operators run it: Apollo Server then has signal handlers of its own.
    server = await startStrapiProcess({ DATABASE_URL: postgres.url(DATABASE), PUBLIC_URL: 'http://cms.test', NODE_ENV: 'production' });
  });

  afterAll(async () => {
    await lock?.end().catch(() => {});
    await server?.stop();
    await postgres?.destroy();
  });

  it('lets the requests in flight finish normally, refuses new connections meanwhile, then exits 0', async () => {
    // Hold the public role's permissions: every request waits on this lock while it is
    // authenticated, in flight but not yet in its route. A GraphQL request reaches Apollo only
    // after the signal, once Strapi has begun to stop its plugins, GraphQL's Apollo Server among
    // them (src/resilience/graceful-shutdown.ts drains before that: otherwise a 500, "Cannot
    // execute GraphQL operations after the server has stopped").
    lock = new Client({ connectionString: postgres.url(DATABASE) });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE up_permissions IN ACCESS EXCLUSIVE MODE');

    const rest = server.http().get('/api/workshops').query({ filters: { slug: WORKSHOP_SLUG }, fields: ['title'] }).timeout(30000).then((res) => res);
    const graphql = server
      .http()
      .post('/graphql')
      .send({ query: WORKSHOP_PAGE, variables: { slug: WORKSHOP_SLUG } })
      .timeout(30000)
      .then((res) => res);
    const waitingOnLock = async () => {
      const { rows } = await (lock as Client).query<{ waiting: number }>(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        [DATABASE]
      );
      return rows[0].waiting >= 2;
    };
    await waitFor('both requests to wait on the lock', waitingOnLock);

    const sigtermAt = Date.now();
    server.terminate();
    const port = Number(new URL(server.baseUrl).port);
    // The drain has begun: the listening socket is closed, the process still runs.
    await waitFor('the server to stop accepting connections', () => refusesConnections(port));
    expect(server.child.exitCode).toBeNull();

    await lock.query('COMMIT');
    const [restResponse, graphqlResponse] = await Promise.all([rest, graphql]);
    expect(restResponse.status).toBe(200);
    expect(restResponse.body.data).toEqual([expect.objectContaining({ title: 'Learning and Emergence in Molecular Systems' })]);
    expect(graphqlResponse.status).toBe(200);
    expect(graphqlResponse.body.errors).toBeUndefined();
    expect(graphqlResponse.body.data.workshopBySlug.title).toBe('Learning and Emergence in Molecular Systems');

    const exit = await Promise.race([
      server.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running 30 s after SIGTERM'), 30000).unref()),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    console.log(`SIGTERM with 2 requests in flight: both answered 200, process exited 0 after ${Date.now() - sigtermAt} ms.`);
  });
});
