import { testDatabaseKind } from '../../helpers/database';
import type { StrapiProcess } from './strapi-process';
import { ownPostgresUnsupportedReason } from './own-postgres';

/**
 * The fault tests stop and start a PostgreSQL of their own: they only mean something on a
 * PostgreSQL run (TEST_DB=postgres). Elsewhere they are skipped with a warning; in CI, a machine
 * that cannot run its own PostgreSQL fails them rather than skipping silently.
 */
export const describeFaults = (name: string, body: () => void) => {
  const reason =
    testDatabaseKind() !== 'postgres'
      ? 'they stop and start a PostgreSQL of their own, so they run only on PostgreSQL (TEST_DB=postgres)'
      : process.env.CI
        ? undefined
        : ownPostgresUnsupportedReason();
  if (reason) {
    // Jest drops the console output of a file whose tests are all skipped: write to stderr.
    process.stderr.write(`Skipping the fault tests "${name}": ${reason}.\n`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs`. */
export const waitFor = async (what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
};

/** A full-access API token, created the way staff do: first administrator, then Settings → API tokens. */
export const createFullAccessToken = async (server: StrapiProcess): Promise<string> => {
  const admin = await server
    .http()
    .post('/admin/register-admin')
    .send({ firstname: 'Fault', lastname: 'Tests', email: 'faults@example.org', password: 'Fault-tests-password-1' });
  if (admin.status !== 200 && admin.status !== 201) throw new Error(`register-admin: ${admin.status} ${admin.text}`);
  const created = await server
    .http()
    .post('/admin/api-tokens')
    .set('Authorization', `Bearer ${admin.body.data.token}`)
    .send({ name: 'fault-tests', description: '', type: 'full-access', lifespan: null });
  if (created.status !== 201 && created.status !== 200) throw new Error(`api-tokens: ${created.status} ${created.text}`);
  return created.body.data.accessKey;
};
