import fs from 'fs';
import path from 'path';
import { createStrapi, type Core } from '@strapi/strapi';
import { createTestDatabase } from '../../helpers/database';
import { settleDatabasePool, testEnvironment } from '../../helpers/strapi';
import { freePort } from '../../helpers/ports';

export interface AdminServer {
  strapi: Core.Strapi;
  /** http://127.0.0.1:<port>, where the admin panel is served at /admin. */
  baseUrl: string;
  /** Deletes every file of the media library through the upload plugin: from disk or from the bucket. */
  removeUploads(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Boots the compiled project (tests/helpers/global-setup.js compiled it) on a fresh database,
 * seeded as on a first start, serving the built admin panel (dist/build, `npm run build`) on
 * 127.0.0.1 at a free port, for a real browser. `env` adds to the environment, e.g. ADMIN_EMAIL.
 */
export const startAdminServer = async (env: Record<string, string> = {}): Promise<AdminServer> => {
  const appDir = process.cwd();
  const distDir = path.join(appDir, 'dist');
  if (!fs.existsSync(path.join(distDir, 'build', 'index.html'))) {
    throw new Error('The admin panel is not built (dist/build/index.html is missing): run `npm run build` first.');
  }
  const database = await createTestDatabase();
  const port = await freePort();
  // Nothing shared with other runs: no Redis (response cache, rate-limit counters).
  delete process.env.REDIS_URL;
  Object.assign(process.env, testEnvironment(), { HOST: '127.0.0.1', PORT: String(port) }, database.env, env);

  const strapi = await createStrapi({ appDir, distDir, autoReload: false, serveAdminPanel: true }).load();
  await new Promise<void>((resolve, reject) => {
    strapi.server.httpServer.once('error', reject);
    strapi.server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    strapi,
    baseUrl: `http://127.0.0.1:${port}`,
    async removeUploads() {
      const upload = strapi.plugin('upload').service('upload');
      for (const file of await strapi.db.query('plugin::upload.file').findMany({})) await upload.remove(file);
    },
    async stop() {
      await settleDatabasePool(strapi);
      await strapi.destroy();
      await database.drop();
    },
  };
};
