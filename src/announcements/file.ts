import fs from 'fs/promises';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { createAnnouncementDraft, readAnnouncement } from './draft';

/**
 * Which reader a file given to `npm run workshops:import` needs: .yaml and .yml are workshop
 * files, .txt an announcement; any other name is a workshop file when its first line is a YAML
 * "title:" field, an announcement otherwise.
 */
export const isAnnouncement = async (file: string) => {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return false;
  if (extension === '.txt' || extension === '.text') return true;
  const firstLine = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim() && !line.startsWith('#'));
  return !/^title\s*:/.test(firstLine ?? '');
};

/** Reads an announcement file and creates its workshop as a draft; a bad file is refused with its lines. */
export const importAnnouncementFile = async (strapi: Core.Strapi, file: string) => {
  const announcement = await readAnnouncement(strapi, await fs.readFile(file, 'utf8'), path.relative(process.cwd(), file));
  return createAnnouncementDraft(strapi, announcement);
};
