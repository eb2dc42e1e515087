import type { Core } from '@strapi/strapi';

type Row = { id: number; [field: string]: any };

export type EmbargoedUid = 'api::person.person' | 'api::organization.organization' | 'api::sponsor.sponsor' | 'api::workshop-series.workshop-series';
export type PublicIds = Record<EmbargoedUid, number[]>;

const PARTICIPANT = { populate: { person: { select: ['id'], populate: { affiliation: { select: ['id'] } } }, affiliation: { select: ['id'] } } };

/**
 * The people, organizations, sponsors and series that published workshops show. Anything else
 * exists only for drafts (an unannounced line-up) and stays embargoed: not listed, not found,
 * not counted, not filterable.
 */
export const findPublicIds = async (strapi: Core.Strapi): Promise<PublicIds> => {
  const workshops: Row[] = await strapi.db.query('api::workshop.workshop').findMany({
    where: { publishedAt: { $notNull: true } },
    select: ['id'],
    populate: {
      organizers: PARTICIPANT,
      speakers: PARTICIPANT,
      talks: { populate: { speakers: { select: ['id'], populate: { affiliation: { select: ['id'] } } } } },
      sponsors: { select: ['id'] },
      series: { select: ['id'], populate: { sponsor: { select: ['id'] } } },
    },
  });

  const people = new Set<number>();
  const organizations = new Set<number>();
  const sponsors = new Set<number>();
  const series = new Set<number>();
  const addPerson = (person: Row | null) => {
    if (!person) return;
    people.add(person.id);
    if (person.affiliation) organizations.add(person.affiliation.id);
  };
  for (const workshop of workshops) {
    for (const participant of [...workshop.organizers, ...workshop.speakers]) {
      addPerson(participant.person);
      if (participant.affiliation) organizations.add(participant.affiliation.id);
    }
    for (const talk of workshop.talks) talk.speakers.forEach(addPerson);
    for (const sponsor of workshop.sponsors) sponsors.add(sponsor.id);
    if (workshop.series) {
      series.add(workshop.series.id);
      if (workshop.series.sponsor) sponsors.add(workshop.series.sponsor.id);
    }
  }
  return {
    'api::person.person': [...people],
    'api::organization.organization': [...organizations],
    'api::sponsor.sponsor': [...sponsors],
    'api::workshop-series.workshop-series': [...series],
  };
};
