import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DateTime } from 'luxon';
import { freeSlug } from '../slugs/free-slug';
import { slugify } from '../slugs/slugify';
import { readInstituteTimezone } from '../workshops/timezone';

const WORKSHOP = 'api::workshop.workshop';

export interface NextEditionOptions {
  /** First day of the new edition (YYYY-MM-DD); by default the same day one year later. */
  startDate?: string;
  /** Keep this edition's speakers (false: an empty list to fill in). */
  keepSpeakers?: boolean;
  /** Keep the schedule, moved by as many days as the workshop (false: no talks). */
  keepTalks?: boolean;
}

type Row = { [field: string]: any };

const POPULATE = {
  series: { fields: ['documentId'] },
  sponsors: { fields: ['documentId'] },
  organizers: { populate: { person: { fields: ['documentId'] } } },
  speakers: { populate: { person: { fields: ['documentId'] } } },
  talks: { populate: { speakers: { fields: ['documentId'] } } },
  posterSession: true,
  venue: true,
};

const withoutIds = ({ id: _id, ...component }: Row) => component;

/** Checks the options a client sent; throws a 400 naming the option when one is wrong. */
export const readNextEditionOptions = (input: unknown): NextEditionOptions => {
  // GraphQL sends null for an argument the client left out.
  const options = Object.fromEntries(Object.entries((input ?? {}) as Record<string, unknown>).filter(([, value]) => value !== null));
  const problems: string[] = [];
  if (options.startDate !== undefined && (typeof options.startDate !== 'string' || !DateTime.fromISO(options.startDate).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(options.startDate))) {
    problems.push('startDate must be a date written as YYYY-MM-DD');
  }
  for (const flag of ['keepSpeakers', 'keepTalks']) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') problems.push(`${flag} must be true or false`);
  }
  if (problems.length > 0) throw new errors.ValidationError(`Cannot prepare the next edition: ${problems.join('; ')}.`);
  return options as NextEditionOptions;
};

/** "learning-and-emergence-2023" → "learning-and-emergence-2024", free of clashes. */
const nextSlug = (strapi: Core.Strapi, slug: string, year: number) =>
  freeSlug(strapi, WORKSHOP, `${slug.replace(/-(19|20)\d\d(-\d+)?$/, '')}-${year}`);

/**
 * A new draft workshop from an existing one: dates moved (by a year, or to a given start),
 * title and slug adapted, texts, series, sponsors and organizers kept (with the affiliations
 * people have today), speakers and talks kept or cleared as chosen, registration links cleared.
 * The original is not touched.
 */
export const prepareNextEdition = async (strapi: Core.Strapi, documentId: string, options: NextEditionOptions = {}) => {
  const source = (await strapi.documents(WORKSHOP).findOne({ documentId, populate: POPULATE as never })) as Row | null;
  if (!source) throw new errors.NotFoundError(`No workshop has the documentId "${documentId}".`);

  const oldStart = DateTime.fromISO(source.startDate);
  const newStart = options.startDate ? DateTime.fromISO(options.startDate) : oldStart.plus({ years: 1 });
  const shift = newStart.diff(oldStart, 'days');
  const move = (date: string | null) => (date ? DateTime.fromISO(date).plus(shift).toISODate() : null);
  const oldYear = String(oldStart.year);
  const zone = source.timezone || (await readInstituteTimezone(strapi));
  // Talks keep their local time of day, across daylight-saving changes too.
  const moveTime = (instant: string | null) =>
    instant ? DateTime.fromJSDate(new Date(instant)).setZone(zone).plus({ days: shift.days }).toUTC().toISO() : null;
  const newYear = newStart.year;

  const participants = (list: Row[]) => list.filter((p) => p.person).map((p) => ({ person: p.person.documentId }));
  const data = {
    title: source.title.includes(oldYear) ? source.title.replaceAll(oldYear, String(newYear)) : source.title,
    slug: await nextSlug(strapi, source.slug ?? slugify(source.title), newYear),
    startDate: newStart.toISODate(),
    endDate: move(source.endDate),
    timezone: source.timezone,
    summary: source.summary,
    overview: source.overview,
    participation: source.participation,
    applicationDeadline: move(source.applicationDeadline),
    registrationUrl: null,
    fundingApplicationUrl: null,
    posterSession: source.posterSession ? withoutIds(source.posterSession) : null,
    venue: source.venue ? withoutIds(source.venue) : null,
    series: source.series?.documentId ?? null,
    sponsors: source.sponsors.map((sponsor: Row) => sponsor.documentId),
    // Affiliations left empty: the validation rules fill in where each person is today.
    organizers: participants(source.organizers),
    speakers: options.keepSpeakers ? participants(source.speakers) : [],
    talks: options.keepTalks
      ? source.talks.map((talk: Row) => ({
          ...withoutIds(talk),
          startsAt: moveTime(talk.startsAt),
          endsAt: moveTime(talk.endsAt),
          speakers: talk.speakers.map((speaker: Row) => speaker.documentId),
          videoUrl: null,
          slidesUrl: null,
        }))
      : [],
  };
  return strapi.documents(WORKSHOP).create({ data: data as never, status: 'draft' });
};
