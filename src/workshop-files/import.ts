import type { Core, UID } from '@strapi/strapi';
import { aliasOwner } from '../slugs/aliases';
import { slugify } from '../slugs/slugify';
import type { InstituteFile, PersonEntry, SeriesEntry, SponsorEntry, WorkshopFile } from './parse';

export type NamedUid = 'api::person.person' | 'api::organization.organization' | 'api::sponsor.sponsor' | 'api::workshop-series.workshop-series';

/** The one relation each named type has, read so that an import fills it only when empty. */
const RELATION_FIELD: Partial<Record<NamedUid, string>> = {
  'api::person.person': 'affiliation',
  'api::workshop-series.workshop-series': 'sponsor',
};

export interface ImportResult {
  documentId: string;
  slug: string;
  created: boolean;
  /** Documents this import created, by type: people, organizations, sponsors, series. */
  createdByType: Record<string, number>;
}

/**
 * Upserts everything one workshop file names, inside one transaction: people, organizations,
 * sponsors and series by name (never a duplicate), then the workshop by slug. Importing the same
 * file twice leaves the database as it was.
 */
export const importWorkshop = async (
  strapi: Core.Strapi,
  file: WorkshopFile,
  { publish = true }: { publish?: boolean } = {}
): Promise<ImportResult> =>
  strapi.db.transaction(async () => {
    const upsert = new NamedDocuments(strapi);
    const institute = await strapi.documents('api::institute.institute').findFirst({ fields: ['timezone'] });

    const participants = async (people: PersonEntry[]) => {
      const rows = [];
      for (const entry of people) {
        const person = await upsert.person(entry);
        const affiliation = entry.affiliation ? await upsert.organization(entry.affiliation) : person.affiliation;
        rows.push({ person: person.documentId, affiliation: affiliation ?? null });
      }
      return rows;
    };
    const talks = [];
    for (const talk of file.talks) {
      const speakers = [];
      for (const entry of talk.speakers) speakers.push((await upsert.person(entry)).documentId);
      talks.push({ ...talk, speakers });
    }
    const sponsors = [];
    for (const entry of file.sponsors) sponsors.push(await upsert.sponsor(entry));

    const slug = file.slug ?? slugify(file.title);
    const data: Record<string, unknown> = {
      title: file.title,
      slug,
      startDate: file.startDate,
      endDate: file.endDate,
      timezone: file.timezone ?? institute?.timezone ?? null,
      summary: file.summary ?? null,
      overview: file.overview ?? null,
      participation: file.participation ?? null,
      registrationUrl: file.registrationUrl ?? null,
      fundingApplicationUrl: file.fundingApplicationUrl ?? null,
      applicationDeadline: file.applicationDeadline ?? null,
      posterSession: file.posterSession ?? null,
      venue: file.venue ?? null,
      series: file.series ? await upsert.series(file.series) : null,
      sponsors,
      organizers: await participants(file.organizers),
      speakers: await participants(file.speakers),
      talks,
    };

    const workshops = strapi.documents('api::workshop.workshop');
    // A workshop whose slug staff changed since is found by its former slug, and keeps the new one.
    const bySlug = await workshops.findFirst({ filters: { slug }, fields: ['documentId'] });
    const byFormerSlug = bySlug ? undefined : await aliasOwner(strapi, 'api::workshop.workshop', slug);
    if (byFormerSlug) delete data.slug;
    const existing = bySlug ?? byFormerSlug;
    const saved = (existing
      ? await workshops.update({ documentId: existing.documentId, data: data as never })
      : await workshops.create({ data: data as never })) as { documentId: string; slug: string };
    if (publish) await workshops.publish({ documentId: saved.documentId });

    return { documentId: saved.documentId, slug: saved.slug, created: !existing, createdByType: upsert.created };
  });

/** Writes the Institute single type from its file (replacing what is there). */
export const importInstitute = async (strapi: Core.Strapi, file: InstituteFile) => {
  const institutes = strapi.documents('api::institute.institute');
  const existing = await institutes.findFirst({ fields: ['documentId'] });
  const data = { ...file, venue: file.venue ?? null } as never;
  return existing ? institutes.update({ documentId: existing.documentId, data }) : institutes.create({ data });
};

/**
 * The document of a type with exactly this printed name, as every import matches them (the
 * announcement preview too, so that what it calls "existing" is what the import reuses).
 */
export const findByName = (strapi: Core.Strapi, uid: NamedUid, name: string, populate?: Record<string, unknown>) =>
  strapi.documents(uid as UID.ContentType).findFirst({ filters: { name }, populate } as never) as Promise<Record<string, any> | null>;

/**
 * Finds documents by their printed name, creating them when absent. Fields the file gives
 * fill fields that are empty; fields staff have set are never overwritten by an import, and a
 * person's current affiliation is only set when they have none.
 */
class NamedDocuments {
  readonly created: Record<string, number> = {};
  private readonly cache = new Map<string, Promise<{ documentId: string; affiliation?: string | null }>>();

  constructor(private readonly strapi: Core.Strapi) {}

  organization(name: string) {
    return this.upsert('api::organization.organization', name, {}).then((doc) => doc.documentId);
  }

  sponsor({ name, ...fields }: SponsorEntry) {
    return this.upsert('api::sponsor.sponsor', name, fields).then((doc) => doc.documentId);
  }

  async series({ name, sponsor, ...fields }: SeriesEntry) {
    const sponsorId = sponsor ? await this.sponsor(sponsor) : undefined;
    const doc = await this.upsert('api::workshop-series.workshop-series', name, { ...fields, ...(sponsorId ? { sponsor: sponsorId } : {}) });
    return doc.documentId;
  }

  async person({ name, affiliation, ...fields }: PersonEntry) {
    const affiliationId = affiliation ? await this.organization(affiliation) : undefined;
    const person = await this.upsert('api::person.person', name, { ...fields, ...(affiliationId ? { affiliation: affiliationId } : {}) });
    // Met first without an affiliation (a talk's speakers list names only), then with one.
    if (affiliationId && !person.affiliation) {
      await this.strapi.documents('api::person.person').update({ documentId: person.documentId, data: { affiliation: affiliationId } as never });
      person.affiliation = affiliationId;
    }
    return person;
  }

  private upsert(uid: NamedUid, name: string, fields: Record<string, unknown>) {
    const key = `${uid}|${name}`;
    if (!this.cache.has(key)) this.cache.set(key, this.findOrCreate(uid, name, fields));
    return this.cache.get(key)!;
  }

  private async findOrCreate(uid: NamedUid, name: string, fields: Record<string, unknown>) {
    const documents = this.strapi.documents(uid as UID.ContentType);
    const relation = RELATION_FIELD[uid];
    const populate = relation ? { [relation]: { fields: ['documentId'] } } : undefined;
    const existing = await findByName(this.strapi, uid, name, populate);
    if (!existing) {
      // The slug is made from the name when it is saved (src/slugs).
      const created = await documents.create({ data: { name, ...fields } as never });
      this.created[uid] = (this.created[uid] ?? 0) + 1;
      return { documentId: created.documentId, affiliation: (fields.affiliation as string | undefined) ?? null };
    }
    const missing = Object.fromEntries(
      Object.entries(fields).filter(([key]) => {
        const current = existing[key];
        return current === null || current === undefined || current === '';
      })
    );
    if (Object.keys(missing).length > 0) {
      await documents.update({ documentId: existing.documentId, data: missing as never });
    }
    return {
      documentId: existing.documentId as string,
      affiliation: (existing.affiliation?.documentId as string | undefined) ?? (missing.affiliation as string | undefined) ?? null,
    };
  }
}
