import fs from 'fs/promises';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { blocksToPlainText, type Block } from '../workshop-files/blocks';
import { findByName, importWorkshop, type NamedUid } from '../workshop-files/import';
import { slugify } from '../slugs/slugify';
import { parseInstituteFile, type PersonEntry, type WorkshopFile } from '../workshop-files/parse';
import { formatDateRange } from '../workshops/date-range';
import { parseAnnouncement } from './parse';

const WORKSHOP = 'api::workshop.workshop';

const INSTITUTE_SEED = path.join(process.cwd(), 'database', 'seeds', 'institute.yaml');

/**
 * Reads an announcement with the institute's texts (its diversity statement is not the
 * workshop's): the CMS's, or the seed's on a database not seeded yet.
 */
export const readAnnouncement = async (strapi: Core.Strapi, text: string, fileName: string) => {
  const institute = await strapi.documents('api::institute.institute').findFirst({ fields: ['diversityStatement'] });
  const diversityStatement = institute ? institute.diversityStatement : parseInstituteFile(await fs.readFile(INSTITUTE_SEED, 'utf8'), INSTITUTE_SEED).diversityStatement;
  return parseAnnouncement(text, fileName, { diversityStatement });
};

export interface CreditPreview {
  name: string;
  affiliation?: string;
  /** The person is already in the CMS (matched by name) and will be reused. */
  exists: boolean;
  /** Where an existing person is today, when it differs from the announcement. */
  currentAffiliation?: string | null;
  affiliationExists: boolean;
}

export interface AnnouncementPreview {
  title: string;
  slug: string;
  startDate: string;
  endDate: string;
  dateRange: string;
  summary: string | null;
  overview: string[];
  participation: string[];
  posterSession: WorkshopFile['posterSession'] | null;
  registrationUrl: string | null;
  fundingApplicationUrl: string | null;
  series: { name: string; acknowledgement: string | null; exists: boolean } | null;
  sponsors: Array<{ name: string; acronym: string | null; exists: boolean }>;
  organizers: CreditPreview[];
  speakers: CreditPreview[];
  /** How many documents of each kind the import would create. */
  creates: { people: number; organizations: number; sponsors: number; series: number };
}

const paragraphs = (blocks?: Block[]) => (blocks ?? []).map((block) => blocksToPlainText([block]));

/** What importing the announcement would write, without writing anything. */
export const previewAnnouncement = async (strapi: Core.Strapi, file: WorkshopFile): Promise<AnnouncementPreview> => {
  const slug = await refuseDuplicateAndChooseSlug(strapi, file);
  const found = new Map<string, Promise<Record<string, any> | null>>();
  const lookUp = (uid: NamedUid, name: string) => {
    const key = `${uid}|${name}`;
    if (!found.has(key)) {
      found.set(key, findByName(strapi, uid, name, uid === 'api::person.person' ? { affiliation: { fields: ['name'] } } : undefined));
    }
    return found.get(key)!;
  };
  const newNames = { people: new Set<string>(), organizations: new Set<string>(), sponsors: new Set<string>(), series: new Set<string>() };

  const credits = (people: PersonEntry[]) =>
    Promise.all(
      people.map(async ({ name, affiliation }): Promise<CreditPreview> => {
        const [person, organization] = await Promise.all([lookUp('api::person.person', name), affiliation ? lookUp('api::organization.organization', affiliation) : null]);
        if (!person) newNames.people.add(name);
        if (affiliation && !organization) newNames.organizations.add(affiliation);
        const current = person?.affiliation?.name ?? null;
        return {
          name,
          ...(affiliation ? { affiliation } : {}),
          exists: Boolean(person),
          ...(person && current !== affiliation ? { currentAffiliation: current } : {}),
          affiliationExists: Boolean(organization),
        };
      })
    );

  const sponsors = await Promise.all(
    file.sponsors.map(async ({ name, acronym }) => {
      const exists = Boolean(await lookUp('api::sponsor.sponsor', name));
      if (!exists) newNames.sponsors.add(name);
      return { name, acronym: acronym ?? null, exists };
    })
  );
  let series: AnnouncementPreview['series'] = null;
  if (file.series) {
    const exists = Boolean(await lookUp('api::workshop-series.workshop-series', file.series.name));
    if (!exists) newNames.series.add(file.series.name);
    if (file.series.sponsor && !(await lookUp('api::sponsor.sponsor', file.series.sponsor.name))) newNames.sponsors.add(file.series.sponsor.name);
    series = { name: file.series.name, acknowledgement: file.series.acknowledgement ?? null, exists };
  }

  return {
    title: file.title,
    slug,
    startDate: file.startDate,
    endDate: file.endDate,
    dateRange: formatDateRange(file.startDate, file.endDate),
    summary: file.summary ?? null,
    overview: paragraphs(file.overview),
    participation: paragraphs(file.participation),
    posterSession: file.posterSession ?? null,
    registrationUrl: file.registrationUrl ?? null,
    fundingApplicationUrl: file.fundingApplicationUrl ?? null,
    series,
    sponsors,
    organizers: await credits(file.organizers),
    speakers: await credits(file.speakers),
    creates: {
      people: newNames.people.size,
      organizations: newNames.organizations.size,
      sponsors: newNames.sponsors.size,
      series: newNames.series.size,
    },
  };
};

/**
 * Creates the announced workshop as a draft (never published), with its people, organizations,
 * sponsors and series found by name or created, in one transaction: all of it or nothing.
 */
export const createAnnouncementDraft = (strapi: Core.Strapi, file: WorkshopFile) =>
  strapi.db.transaction(async () => {
    const slug = await refuseDuplicateAndChooseSlug(strapi, file);
    return importWorkshop(strapi, { ...file, slug }, { publish: false });
  });

/**
 * The same workshop (title and first day) imported twice is refused; a title another edition
 * already uses gets the year: "learning-and-emergence-in-molecular-systems-2024".
 */
const refuseDuplicateAndChooseSlug = async (strapi: Core.Strapi, file: WorkshopFile) => {
  const same = await strapi.documents(WORKSHOP).findFirst({ filters: { title: file.title, startDate: file.startDate }, fields: ['slug'] });
  if (same) {
    throw new errors.ValidationError(
      `"${file.title}" (${formatDateRange(file.startDate, file.endDate)}) is already in the CMS, as ${same.slug}: open it in the content manager, or change the announcement's title or dates.`,
      { documentId: same.documentId, slug: same.slug }
    );
  }
  const base = slugify(file.title);
  const year = file.startDate.slice(0, 4);
  for (let n = 0; ; n += 1) {
    const slug = n === 0 ? base : n === 1 ? `${base}-${year}` : `${base}-${year}-${n}`;
    if ((await strapi.db.query(WORKSHOP).count({ where: { slug } })) === 0) return slug;
  }
};
