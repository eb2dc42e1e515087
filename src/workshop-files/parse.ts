import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { DateTime, IANAZone } from 'luxon';
import { DEFAULT_TIMEZONE } from '../workshops/timezone';
import { paragraphsToBlocks, type Block } from './blocks';
import { WorkshopFileError, type FileProblem } from './errors';
import { familyNameOf, splitCredit } from './names';

export interface PersonEntry {
  name: string;
  familyName: string;
  affiliation?: string;
  homepage?: string;
  orcid?: string;
}

export interface SponsorEntry {
  name: string;
  acronym?: string;
  url?: string;
  description?: string;
}

export interface SeriesEntry {
  name: string;
  description?: string;
  acknowledgement?: string;
  sponsor?: SponsorEntry;
}

export const TALK_KINDS = ['talk', 'poster_session', 'panel', 'break', 'other'] as const;
export type TalkKind = (typeof TALK_KINDS)[number];

export interface TalkEntry {
  title: string;
  abstract?: string;
  /** ISO instants in UTC, converted from the workshop's local time. */
  startsAt?: string;
  endsAt?: string;
  kind: TalkKind;
  speakers: PersonEntry[];
  videoUrl?: string;
  slidesUrl?: string;
}

export interface VenueEntry {
  name: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  attendanceMode: 'offline' | 'online' | 'mixed';
}

export interface WorkshopFile {
  title: string;
  slug?: string;
  startDate: string;
  endDate: string;
  timezone?: string;
  summary?: string;
  overview?: Block[];
  participation?: Block[];
  registrationUrl?: string;
  fundingApplicationUrl?: string;
  applicationDeadline?: string;
  posterSession?: { enabled: boolean; details?: string };
  venue?: VenueEntry;
  series?: SeriesEntry;
  sponsors: SponsorEntry[];
  organizers: PersonEntry[];
  speakers: PersonEntry[];
  talks: TalkEntry[];
}

export interface InstituteFile {
  name: string;
  shortName?: string;
  url?: string;
  timezone: string;
  venue?: VenueEntry;
  diversityStatement?: string;
  defaultParticipation?: Block[];
}

type Path = Array<string | number>;

/**
 * Reads one YAML document field by field, collecting every problem with its line, so that a
 * staff member sees all of them at once instead of fixing one per attempt.
 */
class FieldReader {
  readonly problems: FileProblem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter
  ) {}

  problem(path: Path, message: string) {
    this.problems.push({ field: formatPath(path), line: this.lineOf(path), message });
  }

  private lineOf(path: Path): number | undefined {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return undefined;
  }

  object(path: Path, value: unknown, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem(path, 'must be a mapping of fields (key: value)');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problem([...path, key], `unknown field; expected one of: ${allowed.join(', ')}`);
    }
    return value as Record<string, unknown>;
  }

  text(path: Path, value: unknown, { required = false } = {}): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.problem(path, 'must be text');
      return undefined;
    }
    return String(value).trim();
  }

  date(path: Path, value: unknown, { required = false } = {}): string | undefined {
    const text = this.text(path, value instanceof Date ? value.toISOString().slice(0, 10) : value, { required });
    if (text === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !DateTime.fromISO(text).isValid) {
      this.problem(path, `"${text}" is not a date; write it as YYYY-MM-DD, e.g. 2023-01-23`);
      return undefined;
    }
    return text;
  }

  url(path: Path, value: unknown): string | undefined {
    const text = this.text(path, value);
    if (text === undefined) return undefined;
    if (!isHttpUrl(text)) {
      this.problem(path, `"${text}" is not a web address; write it in full, starting with https://`);
      return undefined;
    }
    return text;
  }

  timezone(path: Path, value: unknown): string | undefined {
    const text = this.text(path, value);
    if (text !== undefined && !IANAZone.isValidZone(text)) {
      this.problem(path, `"${text}" is not a time zone; use an IANA name such as America/Los_Angeles`);
      return undefined;
    }
    return text;
  }

  richText(path: Path, value: unknown): Block[] | undefined {
    if (Array.isArray(value)) return value as Block[];
    const text = this.text(path, value);
    return text === undefined ? undefined : paragraphsToBlocks(text);
  }

  list<T>(path: Path, value: unknown, readItem: (itemPath: Path, item: unknown) => T | undefined): T[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(path, 'must be a list (one "- " line per entry)');
      return [];
    }
    return value.flatMap((item, index) => {
      const read = readItem([...path, index], item);
      return read === undefined ? [] : [read];
    });
  }

  oneOf<T extends string>(path: Path, value: unknown, choices: readonly T[], fallback: T): T {
    const text = this.text(path, value);
    if (text === undefined) return fallback;
    if (!choices.includes(text as T)) {
      this.problem(path, `"${text}" is not one of: ${choices.join(', ')}`);
      return fallback;
    }
    return text as T;
  }

  boolean(path: Path, value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(path, 'must be true or false');
      return fallback;
    }
    return value;
  }
}

const formatPath = (path: Path) =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');

export const isHttpUrl = (text: string) => {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && Boolean(url.hostname);
  } catch {
    return false;
  }
};

const PERSON_FIELDS = ['name', 'familyName', 'affiliation', 'homepage', 'orcid'] as const;

const readPerson = (reader: FieldReader, path: Path, value: unknown): PersonEntry | undefined => {
  if (typeof value === 'string') {
    const credit = splitCredit(value);
    if (!credit) {
      reader.problem(path, `"${value}" is not written as "Name (Affiliation)", e.g. "Cecilia Clementi (FU Berlin)"`);
      return undefined;
    }
    return { name: credit.name, familyName: familyNameOf(credit.name), ...(credit.bracketed ? { affiliation: credit.bracketed } : {}) };
  }
  const fields = reader.object(path, value, PERSON_FIELDS);
  if (!fields) return undefined;
  const name = reader.text([...path, 'name'], fields.name, { required: true });
  const orcid = reader.text([...path, 'orcid'], fields.orcid);
  if (orcid !== undefined && !/^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(orcid)) {
    reader.problem([...path, 'orcid'], `"${orcid}" is not an ORCID iD such as 0000-0002-1825-0097`);
  }
  if (name === undefined) return undefined;
  return compact({
    name,
    familyName: reader.text([...path, 'familyName'], fields.familyName) ?? familyNameOf(name),
    affiliation: reader.text([...path, 'affiliation'], fields.affiliation),
    homepage: reader.url([...path, 'homepage'], fields.homepage),
    orcid,
  });
};

const readSponsor = (reader: FieldReader, path: Path, value: unknown): SponsorEntry | undefined => {
  if (typeof value === 'string') {
    const credit = splitCredit(value);
    if (!credit) {
      reader.problem(path, `"${value}" is not written as "Name (ACRONYM)" or "Name"`);
      return undefined;
    }
    return { name: credit.name, ...(credit.bracketed ? { acronym: credit.bracketed } : {}) };
  }
  const fields = reader.object(path, value, ['name', 'acronym', 'url', 'description']);
  if (!fields) return undefined;
  const name = reader.text([...path, 'name'], fields.name, { required: true });
  if (name === undefined) return undefined;
  return compact({
    name,
    acronym: reader.text([...path, 'acronym'], fields.acronym),
    url: reader.url([...path, 'url'], fields.url),
    description: reader.text([...path, 'description'], fields.description),
  });
};

const readSeries = (reader: FieldReader, path: Path, value: unknown): SeriesEntry | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { name: value.trim() };
  const fields = reader.object(path, value, ['name', 'description', 'acknowledgement', 'sponsor']);
  if (!fields) return undefined;
  const name = reader.text([...path, 'name'], fields.name, { required: true });
  if (name === undefined) return undefined;
  return compact({
    name,
    description: reader.text([...path, 'description'], fields.description),
    acknowledgement: reader.text([...path, 'acknowledgement'], fields.acknowledgement),
    sponsor: fields.sponsor === undefined ? undefined : readSponsor(reader, [...path, 'sponsor'], fields.sponsor),
  });
};

const VENUE_FIELDS = ['name', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'attendanceMode'] as const;

const readVenue = (reader: FieldReader, path: Path, value: unknown): VenueEntry | undefined => {
  if (value === undefined || value === null) return undefined;
  const fields = reader.object(path, value, VENUE_FIELDS);
  if (!fields) return undefined;
  const name = reader.text([...path, 'name'], fields.name, { required: true });
  if (name === undefined) return undefined;
  return compact({
    name,
    streetAddress: reader.text([...path, 'streetAddress'], fields.streetAddress),
    locality: reader.text([...path, 'locality'], fields.locality),
    region: reader.text([...path, 'region'], fields.region),
    postalCode: reader.text([...path, 'postalCode'], fields.postalCode),
    country: reader.text([...path, 'country'], fields.country),
    attendanceMode: reader.oneOf([...path, 'attendanceMode'], fields.attendanceMode, ['offline', 'online', 'mixed'], 'offline'),
  });
};

/** "2023-01-23T09:00" in the workshop's zone → UTC ISO instant. */
const readLocalTime = (reader: FieldReader, path: Path, value: unknown, zone: string): string | undefined => {
  const text = reader.text(path, value instanceof Date ? value.toISOString() : value);
  if (text === undefined) return undefined;
  const time = DateTime.fromISO(text, { zone, setZone: false });
  if (!time.isValid) {
    reader.problem(path, `"${text}" is not a time; write it as YYYY-MM-DDTHH:MM in the workshop's time zone, e.g. 2023-01-23T09:30`);
    return undefined;
  }
  return time.toUTC().toISO({ suppressMilliseconds: true }) ?? undefined;
};

const TALK_FIELDS = ['title', 'abstract', 'startsAt', 'endsAt', 'kind', 'speakers', 'videoUrl', 'slidesUrl'] as const;

const readTalk = (reader: FieldReader, path: Path, value: unknown, zone: string): TalkEntry | undefined => {
  const fields = reader.object(path, value, TALK_FIELDS);
  if (!fields) return undefined;
  const title = reader.text([...path, 'title'], fields.title, { required: true });
  const talk = compact({
    title: title ?? '',
    abstract: reader.text([...path, 'abstract'], fields.abstract),
    startsAt: readLocalTime(reader, [...path, 'startsAt'], fields.startsAt, zone),
    endsAt: readLocalTime(reader, [...path, 'endsAt'], fields.endsAt, zone),
    kind: reader.oneOf([...path, 'kind'], fields.kind, TALK_KINDS, 'talk'),
    speakers: reader.list([...path, 'speakers'], fields.speakers, (p, item) => readPerson(reader, p, item)),
    videoUrl: reader.url([...path, 'videoUrl'], fields.videoUrl),
    slidesUrl: reader.url([...path, 'slidesUrl'], fields.slidesUrl),
  });
  if (talk.startsAt && talk.endsAt && talk.endsAt <= talk.startsAt) {
    reader.problem([...path, 'endsAt'], 'ends before it starts');
  }
  return title === undefined ? undefined : talk;
};

const WORKSHOP_FIELDS = [
  'title', 'slug', 'startDate', 'endDate', 'timezone', 'summary', 'overview', 'participation',
  'registrationUrl', 'fundingApplicationUrl', 'applicationDeadline', 'posterSession', 'venue',
  'series', 'sponsors', 'organizers', 'speakers', 'talks',
] as const;

/**
 * The people lists of one file: a name listed twice in a list, or credited with another
 * affiliation than in an earlier list, is a problem. `list()` starts the next list; the
 * checker it returns gives the problem with one person, if any. Both readers (YAML files and
 * announcements) use it.
 */
export const creditChecks = () => {
  const creditedAs = new Map<string, string | undefined>();
  return {
    list() {
      const seen = new Set<string>();
      return (person: PersonEntry): string | undefined => {
        if (seen.has(person.name)) return `${person.name} is listed twice`;
        seen.add(person.name);
        const earlier = creditedAs.get(person.name);
        if (earlier && person.affiliation && earlier !== person.affiliation) {
          return `${person.name} is credited with "${person.affiliation}" here but "${earlier}" earlier`;
        }
        if (!earlier) creditedAs.set(person.name, person.affiliation);
        return undefined;
      };
    },
  };
};

const readPeople = (reader: FieldReader, field: string, value: unknown, checks: ReturnType<typeof creditChecks>) => {
  const check = checks.list();
  return reader.list([field], value, (path, item) => {
    const person = readPerson(reader, path, item);
    if (!person) return undefined;
    const problem = check(person);
    if (problem) reader.problem(path, problem);
    return person;
  });
};

const readDocument = (text: string, fileName: string) => {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const reader = new FieldReader(doc, lines);
  for (const error of doc.errors) {
    reader.problems.push({ field: '', line: error.linePos?.[0]?.line, message: `not valid YAML: ${error.message.split('\n')[0]}` });
  }
  if (reader.problems.length > 0) throw new WorkshopFileError(fileName, reader.problems);
  if (!isMap(doc.contents) && !isSeq(doc.contents)) {
    throw new WorkshopFileError(fileName, [{ field: '', message: 'is empty or not a mapping of fields' }]);
  }
  return { reader, value: doc.toJS() as unknown };
};

/** Parses and checks a workshop file; throws a WorkshopFileError listing every problem. */
export const parseWorkshopFile = (text: string, fileName: string, defaultTimezone = DEFAULT_TIMEZONE): WorkshopFile => {
  const { reader, value } = readDocument(text, fileName);
  const fields = reader.object([], value, WORKSHOP_FIELDS) ?? {};
  const timezone = reader.timezone(['timezone'], fields.timezone);
  const zone = timezone ?? defaultTimezone;
  const checks = creditChecks();
  const workshop: WorkshopFile = compact({
    title: reader.text(['title'], fields.title, { required: true }) ?? '',
    slug: reader.text(['slug'], fields.slug),
    startDate: reader.date(['startDate'], fields.startDate, { required: true }) ?? '',
    endDate: reader.date(['endDate'], fields.endDate, { required: true }) ?? '',
    timezone,
    summary: reader.text(['summary'], fields.summary),
    overview: reader.richText(['overview'], fields.overview),
    participation: reader.richText(['participation'], fields.participation),
    registrationUrl: reader.url(['registrationUrl'], fields.registrationUrl),
    fundingApplicationUrl: reader.url(['fundingApplicationUrl'], fields.fundingApplicationUrl),
    applicationDeadline: reader.date(['applicationDeadline'], fields.applicationDeadline),
    posterSession: readPosterSession(reader, fields.posterSession),
    venue: readVenue(reader, ['venue'], fields.venue),
    series: readSeries(reader, ['series'], fields.series),
    sponsors: reader.list(['sponsors'], fields.sponsors, (p, item) => readSponsor(reader, p, item)),
    organizers: readPeople(reader, 'organizers', fields.organizers, checks),
    speakers: readPeople(reader, 'speakers', fields.speakers, checks),
    talks: reader.list(['talks'], fields.talks, (p, item) => readTalk(reader, p, item, zone)),
  });

  if (workshop.slug !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(workshop.slug)) {
    reader.problem(['slug'], `"${workshop.slug}" may hold only lower-case letters, digits and single hyphens`);
  }
  if (workshop.startDate && workshop.endDate && workshop.endDate < workshop.startDate) {
    reader.problem(['endDate'], `${workshop.endDate} is before the start date ${workshop.startDate}`);
  }
  checkTalksWithinDates(reader, workshop, zone);

  if (reader.problems.length > 0) throw new WorkshopFileError(fileName, reader.problems);
  return workshop;
};

const readPosterSession = (reader: FieldReader, value: unknown) => {
  if (value === undefined || value === null) return undefined;
  const fields = reader.object(['posterSession'], value, ['enabled', 'details']);
  if (!fields) return undefined;
  return compact({
    enabled: reader.boolean(['posterSession', 'enabled'], fields.enabled, true),
    details: reader.text(['posterSession', 'details'], fields.details),
  });
};

const checkTalksWithinDates = (reader: FieldReader, workshop: WorkshopFile, zone: string) => {
  if (!workshop.startDate || !workshop.endDate) return;
  const opens = DateTime.fromISO(workshop.startDate, { zone }).startOf('day');
  const closes = DateTime.fromISO(workshop.endDate, { zone }).endOf('day');
  workshop.talks.forEach((talk, index) => {
    for (const field of ['startsAt', 'endsAt'] as const) {
      const at = talk[field] ? DateTime.fromISO(talk[field]) : undefined;
      if (at && (at < opens || at > closes)) {
        reader.problem(['talks', index, field], `is outside the workshop's dates (${workshop.startDate} to ${workshop.endDate})`);
      }
    }
  });
};

/** Parses and checks the institute file. */
export const parseInstituteFile = (text: string, fileName: string): InstituteFile => {
  const { reader, value } = readDocument(text, fileName);
  const fields = reader.object([], value, ['name', 'shortName', 'url', 'timezone', 'venue', 'diversityStatement', 'defaultParticipation']) ?? {};
  const institute: InstituteFile = compact({
    name: reader.text(['name'], fields.name, { required: true }) ?? '',
    shortName: reader.text(['shortName'], fields.shortName),
    url: reader.url(['url'], fields.url),
    timezone: reader.timezone(['timezone'], fields.timezone) ?? DEFAULT_TIMEZONE,
    venue: readVenue(reader, ['venue'], fields.venue),
    diversityStatement: reader.text(['diversityStatement'], fields.diversityStatement),
    defaultParticipation: reader.richText(['defaultParticipation'], fields.defaultParticipation),
  });
  if (reader.problems.length > 0) throw new WorkshopFileError(fileName, reader.problems);
  return institute;
};

/** Drops undefined fields, so optional fields are absent rather than undefined. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
