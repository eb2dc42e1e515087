import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { importWorkshopFile } from '../../src/workshop-files/seed';

/** Imports a workshop written as YAML text (as in a workshop file), as a draft unless `publish`. */
export const importWorkshopText = async (strapi: Core.Strapi, yaml: string, { publish = false } = {}) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workshop-text-'));
  try {
    const file = path.join(scratch, 'workshop.yaml');
    fs.writeFileSync(file, yaml);
    return await importWorkshopFile(strapi, file, { publish });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
};
