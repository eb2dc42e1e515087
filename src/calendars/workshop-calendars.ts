import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { holding, loadRelationTree, NOT_NULL } from '../database/relation-tree';
import { workshopPageUrl } from '../workshops/links';
import { instituteTimezone, workshopTimezone } from '../workshops/timezone';
import { buildCalendar, type CalendarWorkshop } from './ics';

const WORKSHOP = 'api::workshop.workshop';
const POPULATE = { venue: true, talks: { populate: { speakers: { fields: ['name'] } } } } as const;

type Venue = { name: string; streetAddress?: string | null; locality?: string | null; region?: string | null; postalCode?: string | null; country?: string | null };
type Institute = { timezone?: string | null; url?: string | null; name?: string | null; venue?: Venue | null };

const placeOf = (venue: Venue | null | undefined) =>
  venue ? [venue.name, venue.streetAddress, [venue.locality, venue.region, venue.postalCode].filter(Boolean).join(' '), venue.country].filter(Boolean).join(', ') : null;

const readInstitute = async (strapi: Core.Strapi): Promise<Institute> =>
  ((await strapi.db.query('api::institute.institute').findOne({ populate: { venue: true } })) as Institute | null) ?? {};

const toCalendarWorkshop = (strapi: Core.Strapi, institute: Institute, workshop: any): CalendarWorkshop => ({
  documentId: workshop.documentId,
  title: workshop.title,
  startDate: workshop.startDate,
  endDate: workshop.endDate,
  timezone: workshopTimezone(workshop, institute),
  summary: workshop.summary,
  overview: workshop.overview,
  updatedAt: workshop.updatedAt,
  pageUrl: workshopPageUrl(strapi, institute.url, workshop.slug),
  location: placeOf(workshop.venue ?? institute.venue),
  talks: (workshop.talks ?? []).map((talk: any) => ({ ...talk, speakers: (talk.speakers ?? []).map((s: { name: string }) => s.name) })),
});

/** The published workshop that had this slug before (src/slugs), as { documentId }. */
const formerlyAt = async (strapi: Core.Strapi, slug: string) => {
  const [found] = await loadRelationTree(strapi, WORKSHOP, { slugAliases: holding(slug), publishedAt: NOT_NULL }, {}, { limit: 1, attributes: { '': [] } });
  return found && { documentId: found.row.documentId as string };
};

/**
 * The iCalendar file of one published workshop, found by its slug or a former one, with its
 * current slug; null when no published workshop has or had this slug.
 */
export const workshopCalendar = async (strapi: Core.Strapi, slug: string): Promise<{ ics: string; slug: string } | null> => {
  const published = { status: 'published', populate: POPULATE } as const;
  const workshop =
    (await strapi.documents(WORKSHOP).findFirst({ ...published, filters: { slug } } as never)) ??
    (await formerlyAt(strapi, slug).then((found) => found && strapi.documents(WORKSHOP).findFirst({ ...published, filters: found } as never)));
  if (!workshop) return null;
  const institute = await readInstitute(strapi);
  return { ics: buildCalendar(workshop.title ?? slug, [toCalendarWorkshop(strapi, institute, workshop)]).toString(), slug: workshop.slug ?? slug };
};

/** Every published workshop that has not ended yet (by the institute's calendar), soonest first. */
export const upcomingCalendar = async (strapi: Core.Strapi): Promise<string> => {
  const institute = await readInstitute(strapi);
  // A day of margin: a workshop in a time zone behind the institute's may still be on.
  const yesterday = DateTime.now().setZone(instituteTimezone(institute)).minus({ days: 1 }).toISODate()!;
  const workshops = await strapi.documents(WORKSHOP).findMany({
    filters: { endDate: { $gte: yesterday } },
    status: 'published',
    sort: ['startDate:asc'],
    populate: POPULATE as never,
  });
  const name = `${institute.name ?? 'Institute'} workshops`;
  return buildCalendar(name, workshops.map((workshop) => toCalendarWorkshop(strapi, institute, workshop))).toString();
};
