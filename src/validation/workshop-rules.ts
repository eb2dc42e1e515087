import type { Core } from '@strapi/strapi';
import { DateTime, IANAZone } from 'luxon';
import { isHttpUrl } from '../workshop-files/parse';

export interface Problem {
  path: Array<string | number>;
  message: string;
}

type Row = { id: number; documentId?: string; [field: string]: any };

const WORKSHOP = 'api::workshop.workshop';
/** A year typed with a digit missing (0202, 20230) is caught rather than saved. */
const FIRST_YEAR = 1950;
const LAST_YEAR = 2200;
const PARTICIPANT = { populate: { person: { select: ['id', 'name'], populate: { affiliation: { select: ['id', 'name'] } } }, affiliation: { select: ['id', 'name'] } } };

/** A saved workshop draft (or its published version) with what the rules look at. */
export const loadWorkshop = (strapi: Core.Strapi, documentId: string, status: 'draft' | 'published' = 'draft'): Promise<Row | null> =>
  strapi.db.query(WORKSHOP).findOne({
    where: { documentId, publishedAt: status === 'draft' ? { $null: true } : { $notNull: true } },
    populate: { organizers: PARTICIPANT, speakers: PARTICIPANT, talks: true },
  });

export const urlProblems = (row: Row, fields: string[], at: Array<string | number> = []): Problem[] =>
  fields
    .filter((field) => row[field] && !isHttpUrl(row[field]))
    .map((field) => ({ path: [...at, field], message: `"${row[field]}" is not a web address: write it in full, starting with https://` }));

const participantProblems = (workshop: Row, list: 'organizers' | 'speakers'): Problem[] => {
  const seen = new Map<number, number>();
  return (workshop[list] as Row[]).flatMap((participant, index): Problem[] => {
    if (!participant.person) return [{ path: [list, index, 'person'], message: 'Choose a person, or remove this entry.' }];
    const first = seen.get(participant.person.id);
    seen.set(participant.person.id, first ?? index);
    return first === undefined ? [] : [{ path: [list, index, 'person'], message: `${participant.person.name} is already listed (entry ${first + 1}).` }];
  });
};

const talkProblems = (workshop: Row, zone: string): Problem[] => {
  const opens = DateTime.fromISO(workshop.startDate, { zone }).startOf('day');
  const closes = DateTime.fromISO(workshop.endDate, { zone }).endOf('day');
  const local = (value: string) => DateTime.fromJSDate(new Date(value)).setZone(zone).toFormat('yyyy-LL-dd HH:mm');
  return (workshop.talks as Row[]).flatMap((talk, index): Problem[] => {
    const problems = urlProblems(talk, ['videoUrl', 'slidesUrl'], ['talks', index]);
    for (const field of ['startsAt', 'endsAt'] as const) {
      if (!talk[field]) continue;
      const at = DateTime.fromJSDate(new Date(talk[field]));
      if (at < opens || at > closes) {
        problems.push({ path: ['talks', index, field], message: `${local(talk[field])} is outside the workshop (${workshop.startDate} to ${workshop.endDate}, ${zone}).` });
      }
    }
    if (talk.startsAt && talk.endsAt && new Date(talk.endsAt) <= new Date(talk.startsAt)) {
      problems.push({ path: ['talks', index, 'endsAt'], message: `The talk ends (${local(talk.endsAt)}) before it starts (${local(talk.startsAt)}).` });
    }
    return problems;
  });
};

/** Every rule a workshop must follow before it can be saved, with the field each problem is in. */
export const workshopProblems = async (strapi: Core.Strapi, workshop: Row, instituteZone: string): Promise<Problem[]> => {
  const problems: Problem[] = [];
  for (const field of ['startDate', 'endDate', 'applicationDeadline'] as const) {
    const year = Number(String(workshop[field] ?? '').slice(0, 4));
    if (workshop[field] && (year < FIRST_YEAR || year > LAST_YEAR)) {
      problems.push({ path: [field], message: `${workshop[field]} is not a plausible date for a workshop: check the year.` });
    }
  }
  if (workshop.startDate && workshop.endDate && workshop.endDate < workshop.startDate) {
    problems.push({ path: ['endDate'], message: `The end date (${workshop.endDate}) is before the start date (${workshop.startDate}).` });
  }
  if (workshop.timezone && !IANAZone.isValidZone(workshop.timezone)) {
    problems.push({ path: ['timezone'], message: `"${workshop.timezone}" is not a time zone: use a name such as America/Los_Angeles or Europe/Berlin.` });
  }
  problems.push(...urlProblems(workshop, ['registrationUrl', 'fundingApplicationUrl']));
  problems.push(...participantProblems(workshop, 'organizers'), ...participantProblems(workshop, 'speakers'));
  if (problems.every((problem) => problem.path[0] !== 'endDate' && problem.path[0] !== 'timezone')) {
    problems.push(...talkProblems(workshop, workshop.timezone || instituteZone));
  }
  const sameSlug = await strapi.db.query(WORKSHOP).count({ where: { slug: workshop.slug, documentId: { $ne: workshop.documentId } } });
  if (sameSlug > 0) problems.push({ path: ['slug'], message: `Another workshop already uses the slug "${workshop.slug}": choose another.` });
  return problems;
};

/**
 * Participants saved without an affiliation keep the one their person has today (also set on
 * the loaded rows, which their labels are then written from).
 */
export const snapshotAffiliations = async (strapi: Core.Strapi, workshop: Row) => {
  for (const participant of [...workshop.organizers, ...workshop.speakers] as Row[]) {
    const current = participant.person?.affiliation;
    if (!participant.affiliation && current) {
      await strapi.db.query('workshop.participant').update({ where: { id: participant.id }, data: { affiliation: current.id } });
      participant.affiliation = current;
    }
  }
};
