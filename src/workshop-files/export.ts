import type { Core } from '@strapi/strapi';
import { DateTime } from 'luxon';
import { stringify } from 'yaml';
import { readInstituteTimezone } from '../workshops/timezone';
import { blocksToText, type Block } from './blocks';
import { familyNameOf } from './names';

type Row = { [field: string]: any };

const POPULATE = {
  series: { populate: { sponsor: true } },
  sponsors: true,
  organizers: { populate: { person: { populate: ['affiliation'] }, affiliation: true } },
  speakers: { populate: { person: { populate: ['affiliation'] }, affiliation: true } },
  talks: { populate: { speakers: { populate: ['affiliation'] } } },
  posterSession: true,
  venue: true,
};

const compact = (value: Row): Row =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

const withoutIds = ({ id: _id, ...rest }: Row) => rest;

/** "Name (Affiliation)" when that says it all; else the mapping form with every field. */
const personEntry = (person: Row, affiliation: Row | null) => {
  const extra = compact({
    familyName: person.familyName && person.familyName !== familyNameOf(person.name) ? person.familyName : undefined,
    homepage: person.homepage,
    orcid: person.orcid,
  });
  if (Object.keys(extra).length === 0) return affiliation ? `${person.name} (${affiliation.name})` : person.name;
  return compact({ name: person.name, affiliation: affiliation?.name, ...extra });
};

const sponsorEntry = (sponsor: Row) =>
  sponsor.url || sponsor.description
    ? compact({ name: sponsor.name, acronym: sponsor.acronym, url: sponsor.url, description: sponsor.description })
    : sponsor.acronym
      ? `${sponsor.name} (${sponsor.acronym})`
      : sponsor.name;

const richText = (blocks: Block[] | null) => (blocks && blocks.length > 0 ? blocksToText(blocks) : undefined);

/**
 * A workshop as a workshop file (the format src/workshop-files/parse.ts reads): the published
 * version when there is one, else the draft. Importing the file into an empty database gives
 * the same answers to the contract operations.
 */
export const exportWorkshop = async (strapi: Core.Strapi, slug: string): Promise<string | null> => {
  const documents = strapi.documents('api::workshop.workshop');
  const workshop = ((await documents.findFirst({ filters: { slug }, status: 'published', populate: POPULATE as never })) ??
    (await documents.findFirst({ filters: { slug }, populate: POPULATE as never }))) as Row | null;
  if (!workshop) return null;

  // Talk times are written in the workshop's local time, the Institute's zone when it has none.
  const zone = workshop.timezone || (await readInstituteTimezone(strapi));
  const local = (instant: string | null) => (instant ? DateTime.fromJSDate(new Date(instant)).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm") : undefined);
  const participants = (list: Row[]) => list.filter((p) => p.person).map((p) => personEntry(p.person, p.affiliation));
  const listed = new Set([...workshop.organizers, ...workshop.speakers].map((p: Row) => p.person?.name));
  // A talk's speaker listed above is named; anyone else is written in full, as of today.
  const talkSpeaker = (person: Row) => (listed.has(person.name) ? person.name : personEntry(person, person.affiliation));
  const series = workshop.series
    ? compact({
        name: workshop.series.name,
        description: workshop.series.description,
        acknowledgement: workshop.series.acknowledgement,
        sponsor: workshop.series.sponsor ? sponsorEntry(workshop.series.sponsor) : undefined,
      })
    : undefined;

  const file = compact({
    title: workshop.title,
    slug: workshop.slug,
    startDate: workshop.startDate,
    endDate: workshop.endDate,
    timezone: workshop.timezone,
    summary: workshop.summary,
    overview: richText(workshop.overview),
    participation: richText(workshop.participation),
    registrationUrl: workshop.registrationUrl,
    fundingApplicationUrl: workshop.fundingApplicationUrl,
    applicationDeadline: workshop.applicationDeadline,
    posterSession: workshop.posterSession ? compact({ enabled: workshop.posterSession.enabled, details: workshop.posterSession.details }) : undefined,
    venue: workshop.venue ? compact(withoutIds(workshop.venue)) : undefined,
    series,
    sponsors: workshop.sponsors.map(sponsorEntry),
    organizers: participants(workshop.organizers),
    speakers: participants(workshop.speakers),
    talks: workshop.talks.map((talk: Row) =>
      compact({
        title: talk.title,
        abstract: talk.abstract,
        startsAt: local(talk.startsAt),
        endsAt: local(talk.endsAt),
        kind: talk.kind === 'talk' ? undefined : talk.kind,
        speakers: talk.speakers.map(talkSpeaker),
        videoUrl: talk.videoUrl,
        slidesUrl: talk.slidesUrl,
      })
    ),
  });
  return stringify(file, { lineWidth: 0 });
};
