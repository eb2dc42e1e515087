import fs from 'fs/promises';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { importInstitute, importWorkshop } from './import';
import { instituteTimezone } from '../workshops/timezone';
import { parseInstituteFile, parseWorkshopFile } from './parse';

const SEEDS_DIR = path.join(process.cwd(), 'database', 'seeds');

/** Reads, checks and imports one workshop file; a bad file is refused before anything is written. */
export const importWorkshopFile = async (strapi: Core.Strapi, file: string, options: { publish?: boolean } = {}) => {
  const institute = await strapi.documents('api::institute.institute').findFirst({ fields: ['timezone'] });
  const parsed = parseWorkshopFile(await fs.readFile(file, 'utf8'), path.relative(process.cwd(), file), instituteTimezone(institute));
  return importWorkshop(strapi, parsed, options);
};

/** Loads every workshop file and the institute file under database/seeds/, published. */
export const importSeeds = async (strapi: Core.Strapi, seedsDir = SEEDS_DIR) => {
  const instituteFile = path.join(seedsDir, 'institute.yaml');
  const institute = parseInstituteFile(await fs.readFile(instituteFile, 'utf8'), path.relative(process.cwd(), instituteFile));
  await importInstitute(strapi, institute);

  const workshopsDir = path.join(seedsDir, 'workshops');
  const files = (await fs.readdir(workshopsDir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  const results = [];
  for (const name of files) results.push(await importWorkshopFile(strapi, path.join(workshopsDir, name)));
  return results;
};

/** First start of an empty database: load the seeds so the site has its first workshop. */
export const seedEmptyDatabase = async (strapi: Core.Strapi) => {
  if (process.env.SEED_ON_EMPTY_DATABASE === 'false') return;
  if ((await strapi.documents('api::workshop.workshop').count({})) > 0) return;
  const results = await importSeeds(strapi);
  strapi.log.info(`Empty database: imported ${results.length} workshop(s) from database/seeds/.`);
};
