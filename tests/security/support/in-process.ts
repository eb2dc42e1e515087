import path from 'path';
import { createStrapi, type Core } from '@strapi/strapi';
import type { TestDatabase } from '../../helpers/database';
import { settleDatabasePool, testEnvironment } from '../../helpers/strapi';

/**
 * Boots the compiled project in this process on an existing database, as startStrapi does on a
 * fresh one, and keeps the database when it stops: the differential fuzzer builds a database,
 * copies it and adds fixtures to the copy. Only one such Strapi may run at a time (global `strapi`).
 */
export const withStrapi = async <T>(database: TestDatabase, env: Record<string, string>, work: (strapi: Core.Strapi) => Promise<T>): Promise<T> => {
  Object.assign(process.env, testEnvironment(), database.env, env);
  const appDir = process.cwd();
  const strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  try {
    return await work(strapi);
  } finally {
    await settleDatabasePool(strapi);
    await strapi.destroy();
  }
};
