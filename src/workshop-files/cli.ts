import fs from 'fs/promises';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { importAnnouncementFile, isAnnouncement } from '../announcements/file';
import { exportWorkshop } from './export';
import { importSeeds, importWorkshopFile } from './seed';

/** The commands of scripts/workshops.js; errors are thrown with a message meant for the person at the terminal. */
export const runWorkshopsCommand = async (strapi: Core.Strapi, [command, ...args]: string[]) => {
  switch (command) {
    case 'seed': {
      const results = await importSeeds(strapi);
      for (const result of results) console.log(`${result.created ? 'created' : 'updated'} ${result.slug}`);
      return;
    }
    case 'import': {
      if (args.length === 0) throw new Error('Usage: npm run workshops:import -- <file.yaml | announcement.txt> [more files...]');
      for (const [index, file] of args.entries()) {
        const counter = `[${index + 1}/${args.length}]`;
        if (await isAnnouncement(path.resolve(file))) {
          const result = await importAnnouncementFile(strapi, path.resolve(file));
          console.log(`${counter} created the draft ${result.slug} from the announcement ${file}, with ${describeCreated(result.createdByType)}.`);
          console.log(`${' '.repeat(counter.length)} It is not published: review it in the admin UI and publish it there.`);
        } else {
          const result = await importWorkshopFile(strapi, path.resolve(file));
          console.log(`${counter} ${result.created ? 'created' : 'updated'} ${result.slug} from ${file}`);
        }
      }
      if (args.length > 1) console.log(`Imported ${args.length} files.`);
      return;
    }
    case 'export': {
      const [slug, file] = args;
      if (!slug) throw new Error('Usage: npm run workshops:export -- <slug> [file.yaml]');
      const yaml = await exportWorkshop(strapi, slug);
      if (yaml === null) throw new Error(`No workshop has the slug "${slug}".`);
      if (!file) return void process.stdout.write(yaml);
      await fs.writeFile(file, yaml);
      console.log(`Wrote ${slug} to ${file}`);
      return;
    }
    default:
      throw new Error(`Unknown command "${command ?? ''}". Commands: seed, import <files...>, export <slug> [file]`);
  }
};

const CREATED_NAMES: Record<string, [one: string, many: string]> = {
  'api::person.person': ['person', 'people'],
  'api::organization.organization': ['organization', 'organizations'],
  'api::sponsor.sponsor': ['sponsor', 'sponsors'],
  'api::workshop-series.workshop-series': ['series', 'series'],
};

const describeCreated = (createdByType: Record<string, number>) =>
  Object.entries(CREATED_NAMES)
    .map(([uid, [one, many]]) => {
      const count = createdByType[uid] ?? 0;
      return `${count} new ${count === 1 ? one : many}`;
    })
    .join(', ');
