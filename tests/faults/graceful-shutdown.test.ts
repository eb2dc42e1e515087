import fs from 'fs';
import http from 'http';
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
  let server: StrapiProcess | undefined;
  let lock: Client | undefined;

  // In production, as operators run it: Apollo Server then has signal handlers of its own. At
  // LOG_LEVEL info, the drain says what it waits for.
  const startServer = () =>
    startStrapiProcess({ DATABASE_URL: postgres.url(DATABASE), PUBLIC_URL: 'http://cms.test', NODE_ENV: 'production', LOG_LEVEL: 'info' });

  /**
   * Holds the public role's permissions: the first anonymous requests of a server wait on this
   * lock while they are authenticated (the first reads them, the others wait for that read:
   * src/access/public-role-permissions.ts), in flight but not yet in their routes, so a GraphQL
   * request reaches Apollo only after the signal, once Strapi has begun to stop its plugins, GraphQL's Apollo Server among
   * them (src/resilience/graceful-shutdown.ts drains before that: otherwise a 500, "Cannot
   * execute GraphQL operations after the server has stopped").
   */
  const holdPermissions = async () => {
    lock = new Client({ connectionString: postgres.url(DATABASE) });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE up_permissions IN ACCESS EXCLUSIVE MODE');
    const held = lock;
    const waiting = (count: number) => async () => {
      const { rows } = await held.query<{ waiting: number }>(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        [DATABASE]
      );
      return rows[0].waiting >= count;
    };
    return { waiting, release: () => held.query('COMMIT') };
  };

  const exitOf = (running: StrapiProcess) =>
    Promise.race([running.exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running 30 s after SIGTERM'), 30000).unref())]);

  /** SIGTERM, and the drain has begun: the listening socket is closed, the process still runs. */
  const terminateAndSeeDrain = async (running: StrapiProcess) => {
    running.terminate();
    const port = Number(new URL(running.baseUrl).port);
    await waitFor('the server to stop accepting connections', () => refusesConnections(port));
    expect(running.child.exitCode).toBeNull();
  };

  beforeAll(async () => {
    postgres = await startOwnPostgres();
    await postgres.createDatabase(DATABASE);
  });

  afterEach(async () => {
    await lock?.end().catch(() => {});
    await server?.stop();
  });

  afterAll(async () => {
    await postgres?.destroy();
  });

  it('lets the requests in flight finish normally, refuses new connections meanwhile, then exits 0 (drainFirst: Strapi stops its plugins, Apollo among them, before the app can)', async () => {
    const running = (server = await startServer());
    const permissions = await holdPermissions();
    const rest = running.http().get('/api/workshops').query({ filters: { slug: WORKSHOP_SLUG }, fields: ['title'] }).timeout(30000).then((res) => res);
    const graphql = running
      .http()
      .post('/graphql')
      .send({ query: WORKSHOP_PAGE, variables: { slug: WORKSHOP_SLUG } })
      .timeout(30000)
      .then((res) => res);
    await waitFor('the first request to wait on the lock', permissions.waiting(1));
    // The other waits for the same read of the permissions; the drain's log says it was in flight too.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const sigtermAt = Date.now();
    await terminateAndSeeDrain(running);
    await permissions.release();
    const [restResponse, graphqlResponse] = await Promise.all([rest, graphql]);
    expect(restResponse.status).toBe(200);
    expect(restResponse.body.data).toEqual([expect.objectContaining({ title: 'Learning and Emergence in Molecular Systems' })]);
    expect(graphqlResponse.status).toBe(200);
    expect(graphqlResponse.body.errors).toBeUndefined();
    expect(graphqlResponse.body.data.workshopBySlug.title).toBe('Learning and Emergence in Molecular Systems');

    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.output()).toMatch(/Shutting down: waiting for 2 request\(s\) in flight/);
    console.log(`SIGTERM with 2 requests in flight: both answered 200, process exited 0 after ${Date.now() - sigtermAt} ms.`);
  });

  it('also waits for a request whose client has gone, and logs no internal error', async () => {
    const running = (server = await startServer());
    const permissions = await holdPermissions();
    const { port } = new URL(running.baseUrl);
    const body = JSON.stringify({ query: WORKSHOP_PAGE, variables: { slug: WORKSHOP_SLUG } });
    const abandoned = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' } });
    abandoned.on('error', () => {});
    abandoned.end(body);
    await waitFor('the request to wait on the lock', permissions.waiting(1));
    // The client gives up: the server sees its socket close while the handler still waits.
    abandoned.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));

    await terminateAndSeeDrain(running);
    await permissions.release();
    expect(await exitOf(running)).toEqual({ code: 0, signal: null });
    expect(running.output()).toMatch(/Shutting down: waiting for 1 request\(s\) in flight/);
    expect(running.output()).not.toMatch(/Internal error|Cannot execute GraphQL operations/);
  });
});
