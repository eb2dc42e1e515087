import crypto from 'crypto';
import path from 'path';
import { createStrapi, type Core } from '@strapi/strapi';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from './database';
import { OBJECT_STORAGE_VARIABLES } from '../../src/media/object-storage';
import { recordingInternalErrors } from './internal-errors';

export interface TestApp {
  strapi: Core.Strapi;
  http: () => ReturnType<typeof request>;
  graphql: (query: string, variables?: Record<string, unknown>) => Promise<request.Response>;
  stop(): Promise<void>;
}

const randomSecret = () => crypto.randomBytes(16).toString('base64');

/**
 * What every test server runs with: the test environment, quiet logs, fresh secrets, and the
 * defaults of what changes public answers or sends requests out (a suite's own PUBLIC_URL,
 * IS_PROXIED, CDN or webhook targets, object storage would otherwise stay in process.env for the
 * next suite of the same Jest worker).
 */
export const testEnvironment = () => ({
  NODE_ENV: 'test',
  PUBLIC_URL: '',
  IS_PROXIED: 'false',
  // Nothing to purge and no one to notify, unless a suite says so.
  CDN_VARNISH_URLS: '',
  CDN_FASTLY_SERVICE_ID: '',
  CDN_CLOUDFLARE_ZONE_ID: '',
  WEBHOOK_TARGETS: '',
  // Uploads on local disk.
  ...Object.fromEntries(OBJECT_STORAGE_VARIABLES.map((name) => [name, ''])),
  STRAPI_TELEMETRY_DISABLED: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  APP_KEYS: [randomSecret(), randomSecret()].join(','),
  API_TOKEN_SALT: randomSecret(),
  ADMIN_JWT_SECRET: randomSecret(),
  TRANSFER_TOKEN_SALT: randomSecret(),
  JWT_SECRET: randomSecret(),
  ENCRYPTION_KEY: randomSecret(),
});

/**
 * Boots the compiled project (tests/helpers/global-setup.js compiled it) on a fresh database,
 * seeded as on a first start, and serves it over HTTP for Supertest.
 */
export const startStrapi = async (env: Record<string, string> = {}): Promise<TestApp> => {
  const database: TestDatabase = await createTestDatabase();
  Object.assign(process.env, testEnvironment(), database.env, env);

  const appDir = process.cwd();
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  await strapi.server.mount();

  const http = () => recordingInternalErrors(request(strapi.server.httpServer));
  return {
    strapi,
    http,
    graphql: (query, variables) => http().post('/graphql').send({ query, variables }),
    async stop() {
      await settleDatabasePool(strapi);
      await strapi.destroy();
      await database.drop();
    },
  };
};

/**
 * Waits (at most 5 s) until no database connection is in use or awaited: Strapi still finishes
 * work of its own just after start-up, and destroying the pool under it fails the suite with "aborted".
 */
export const settleDatabasePool = async (strapi: Core.Strapi) => {
  const pool = (strapi.db.connection.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  for (let waited = 0; pool && waited < 5000 && pool.numUsed() + pool.numPendingAcquires() > 0; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
