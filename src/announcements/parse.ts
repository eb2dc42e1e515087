import { paragraphsToBlocks } from '../workshop-files/blocks';
import { WorkshopFileError, type FileProblem } from '../workshop-files/errors';
import { familyNameOf, splitCredit } from '../workshop-files/names';
import { creditChecks, isHttpUrl, type PersonEntry, type SeriesEntry, type SponsorEntry, type WorkshopFile } from '../workshop-files/parse';
import { splitCreditList, type ListLine } from './credit-lists';
import { looksLikeDateLine, readDateLine } from './date-line';

/**
 * An announcement as IPAM prints it (shared/source/workshop-announcement.txt): a title line, a
 * date line, then headed sections. Read into the same WorkshopFile a YAML workshop file gives,
 * so that both go through one import (src/workshop-files/import.ts).
 */

export interface AnnouncementOptions {
  /**
   * The institute's diversity statement: printed in every announcement's Participation section,
   * it belongs to the institute (every page's footer), not to the workshop.
   */
  diversityStatement?: string | null;
}

type SectionKind = 'overview' | 'summary' | 'participation' | 'posterSession' | 'acknowledgement' | 'sponsors' | 'organizers' | 'speakers';

const HEADINGS: Record<string, SectionKind> = {};
const headings = (kind: SectionKind, names: string[]) => names.forEach((name) => (HEADINGS[name] = kind));
headings('overview', ['scientific overview', 'overview', 'workshop overview', 'program overview', 'description', 'workshop description', 'about', 'about the workshop', 'abstract', 'scientific background', 'background']);
headings('summary', ['summary', 'short summary']);
headings('participation', ['participation', 'registration', 'application/registration', 'application and registration', 'registration and participation', 'participation and registration', 'how to participate', 'how to apply', 'registration information', 'registration and funding', 'funding']);
headings('posterSession', ['poster session', 'poster sessions', 'posters', 'call for posters']);
headings('acknowledgement', ['acknowledgement', 'acknowledgment', 'acknowledgements', 'acknowledgments', 'series', 'workshop series']);
headings('sponsors', ['sponsors', 'sponsor', 'sponsored by', 'supported by', 'support', 'funded by', 'sponsors and support']);
headings('organizers', ['organizers', 'organisers', 'organizer', 'organiser', 'organizing committee', 'organising committee', 'organizing committee members', 'organized by', 'organised by', 'workshop organizers', 'scientific committee', 'program committee', 'scientific organizers']);
headings('speakers', ['speakers', 'speaker', 'confirmed speakers', 'invited speakers', 'speaker list', 'keynote speakers', 'plenary speakers', 'tentative speakers', 'featured speakers', 'speakers include']);

/** Sections an announcement may have that have no place in a draft read from text. */
const UNSUPPORTED = new Set(['schedule', 'program', 'programme', 'agenda', 'talks', 'abstracts', 'venue', 'location', 'contact', 'contacts', 'travel', 'lodging', 'accommodation']);

const KNOWN_HEADINGS = 'Scientific Overview, Summary, Participation, Poster Session, Acknowledgement, Sponsors, Organizers (or Organizing Committee), Speakers';

/** "More speakers to be announced.": a note in a list, not a person. */
const LIST_NOTE = /^(?:(?:and )?(?:more|other|additional|further)\b.*\b(?:announced|tba|tbd|follow|come|confirmed)|tba|tbd|to be announced|to be determined)\.?$/i;
const MAX_TEXT = 255;

interface Section {
  kind: SectionKind | 'unsupported';
  heading: string;
  line: number;
  lines: ListLine[];
}

interface Paragraph {
  line: number;
  text: string;
  lineCount: number;
}

/** Without BOM, CR, non-breaking or zero-width spaces, tabs and trailing spaces; composed Unicode. */
const linesOf = (text: string): ListLine[] =>
  text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, index) => ({
      number: index + 1,
      text: line.replace(/[\u200B-\u200D\u2060]/g, '').replace(/[\t\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ').trim(),
    }));

const headingKey = (text: string) =>
  text
    .replace(/^#+\s*/, '')
    .replace(/^\*\*(.*)\*\*$/, '$1')
    .replace(/\s*[:：]$/, '')
    .replace(/&/g, 'and')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** A heading alone on its line, or "Speakers: A (X), B (Y)" with the list after it. */
const readHeading = (text: string): { kind: SectionKind | 'unsupported'; rest?: string } | undefined => {
  const key = headingKey(text);
  if (HEADINGS[key]) return { kind: HEADINGS[key] };
  if (UNSUPPORTED.has(key)) return { kind: 'unsupported' };
  const inline = /^([^:：]{2,40})[:：]\s*(.+)$/.exec(text);
  if (inline && HEADINGS[headingKey(inline[1])]) return { kind: HEADINGS[headingKey(inline[1])], rest: inline[2] };
  return undefined;
};

const SMALL_WORDS = new Set(['of', 'and', 'the', 'for', 'in', 'on', 'to', 'a', 'an', 'with', '&']);

/** "Schedule", "Important Dates": a short line in title case, without a sentence's punctuation. */
const looksLikeHeading = (text: string) => {
  const words = text.replace(/:$/, '').split(' ');
  return (
    words.length <= 4 &&
    !/[.!?;,()\d]/.test(text) &&
    words.every((word, index) => (index > 0 && SMALL_WORDS.has(word)) || /^\p{Lu}/u.test(word))
  );
};

const paragraphsOf = (lines: ListLine[]): Paragraph[] => {
  const paragraphs: Paragraph[] = [];
  let current: ListLine[] = [];
  for (const line of [...lines, { number: 0, text: '' }]) {
    if (line.text) {
      current.push(line);
      continue;
    }
    if (current.length > 0) {
      paragraphs.push({ line: current[0].number, text: current.map((l) => l.text).join(' ').replace(/\s+/g, ' '), lineCount: current.length });
    }
    current = [];
  }
  return paragraphs;
};

const sentencesOf = (text: string) => text.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?\p{Lu})/u);

const SERIES_ACKNOWLEDGEMENT =
  /^This (?:is an?|workshop is an?|workshop is part of the) (.+?), made possible by (?:a |an )?(?:generous )?(?:gift|grant|donation|support|funding) from (?:the )?(.+?)\.$/i;
const SPONSORED_BY = /^This (?:workshop|program|event) is (?:generously |partially |partly )?(?:sponsored|supported|funded) by (?:the )?(.+?)\.$/i;
const POSTER_SESSION = /poster session/i;
const NO_POSTER_SESSION = /\b(?:no|not (?:include|have|hold)) (?:a )?poster session/i;

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const comparable = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** Reads an announcement; throws a WorkshopFileError listing every problem with its line. */
export const parseAnnouncement = (text: string, fileName: string, options: AnnouncementOptions = {}): WorkshopFile => {
  const problems: FileProblem[] = [];
  const problem = (line: number | undefined, field: string, message: string) => problems.push({ line, field, message });
  const lines = linesOf(text);

  // The title and date lines come before the first heading; sections follow.
  const header: ListLine[] = [];
  const sections: Section[] = [];
  for (const line of lines) {
    if (!line.text || /^[=\-_*~]{3,}$/.test(line.text)) {
      sections.at(-1)?.lines.push({ number: line.number, text: '' });
      continue;
    }
    const heading = readHeading(line.text);
    if (heading?.kind === 'unsupported') {
      problem(line.number, line.text, 'this section cannot be read from an announcement: remove it, and add what it says in the admin UI after the import');
      sections.push({ kind: 'unsupported', heading: line.text, line: line.number, lines: [] });
    } else if (heading) {
      const earlier = sections.find((section) => section.kind === heading.kind);
      if (earlier) problem(line.number, line.text, `a second ${earlier.heading} section (the first is at line ${earlier.line}); put them together`);
      sections.push({ kind: heading.kind, heading: line.text.replace(/\s*[:：].*$/, ''), line: line.number, lines: heading.rest ? [{ number: line.number, text: heading.rest }] : [] });
    } else if (sections.length > 0) {
      sections.at(-1)!.lines.push(line);
    } else {
      header.push(line);
    }
  }

  if (header.length === 0 && sections.length === 0) {
    throw new WorkshopFileError(fileName, [{ field: '', message: 'is empty: paste the announcement, starting with its title line and its date line' }]);
  }

  // Title: the lines before the date line (a long title may be wrapped).
  const dateIndex = header.findIndex((line, index) => index > 0 && looksLikeDateLine(line.text));
  let title = '';
  let startDate = '';
  let endDate = '';
  let untitled: ListLine[] = [];
  if (header.length === 0) {
    problem(lines.find((line) => line.text)?.number, 'title', 'the announcement must start with the workshop\'s title line, then its date line, before the first section heading');
  } else if (dateIndex === -1) {
    const where = header[1] ?? lines.find((line) => line.number > header[0].number && line.text) ?? header[0];
    problem(where.number, 'dates', `expected the workshop's dates on the line after the title, e.g. "January 23 - 27, 2023" or "March 5, 2024"; found ${header[1] ? `"${header[1].text}"` : 'none before the first section heading'}`);
  } else if (header[dateIndex - 1].number - header[0].number !== dateIndex - 1) {
    // A title wraps onto the next line; a line after a blank one is something else.
    const stray = header.find((line, index) => index > 0 && line.number !== header[index - 1].number + 1)!;
    problem(stray.number, 'dates', `expected the workshop's dates after the title, e.g. "January 23 - 27, 2023"; found "${stray.text}" (the date line is line ${header[dateIndex].number})`);
  } else {
    title = header.slice(0, dateIndex).map((line) => line.text.replace(/^#+\s*/, '')).join(' ');
    if (title.length > MAX_TEXT) problem(header[0].number, 'title', `is ${title.length} characters long; at most ${MAX_TEXT}`);
    const dates = readDateLine(header[dateIndex].text);
    if ('problem' in dates) problem(header[dateIndex].number, 'dates', `"${header[dateIndex].text}" ${dates.problem}`);
    else ({ startDate, endDate } = dates);
    untitled = header.slice(dateIndex + 1);
  }

  const hasOverviewHeading = sections.some((section) => section.kind === 'overview');
  if (untitled.length > 0 && hasOverviewHeading) {
    problem(untitled[0].number, '', `text between the date line and the first section heading ("${untitled[0].text.slice(0, 60)}"): put it under a heading such as Scientific Overview, or remove it`);
  }

  const checks = creditChecks();
  const workshop: WorkshopFile = { title, startDate, endDate, sponsors: [], organizers: [], speakers: [], talks: [] };
  const overview: string[] = [];
  const participation: string[] = [];
  let series: SeriesEntry | undefined;
  const addSponsor = (sponsor: SponsorEntry) => {
    if (!workshop.sponsors.some((known) => known.name === sponsor.name)) workshop.sponsors.push(sponsor);
  };
  const readSponsor = (text: string): SponsorEntry | undefined => {
    const credit = splitCredit(text.replace(/^the\s+/i, ''));
    if (!credit || !/^\p{Lu}/u.test(credit.name) || credit.name.length > MAX_TEXT) return undefined;
    return { name: credit.name, ...(credit.bracketed ? { acronym: credit.bracketed } : {}) };
  };

  /** Takes series acknowledgements and sponsor sentences out of a paragraph; returns what is left. */
  const takeAcknowledgements = (paragraph: Paragraph, field: string) => {
    const left = sentencesOf(paragraph.text).filter((sentence) => {
      const acknowledged = SERIES_ACKNOWLEDGEMENT.exec(sentence);
      const sponsor = acknowledged && readSponsor(acknowledged[2]);
      if (acknowledged && sponsor) {
        if (series && series.name !== acknowledged[1]) problem(paragraph.line, field, `names a second series, "${acknowledged[1]}" (the first: "${series.name}")`);
        series = { name: acknowledged[1], acknowledgement: sentence, sponsor };
        addSponsor(sponsor);
        return false;
      }
      const sponsoredBy = SPONSORED_BY.exec(sentence);
      const sponsors = sponsoredBy ? splitCreditList([{ number: paragraph.line, text: sponsoredBy[1] }]).entries.map((entry) => readSponsor(entry.text)) : [];
      if (sponsors.length > 0 && sponsors.every(Boolean)) {
        sponsors.forEach((sponsor) => addSponsor(sponsor!));
        return false;
      }
      return true;
    });
    return left.join(' ');
  };

  const readPeople = (section: Section, list: PersonEntry[]) => {
    const { entries, problems: listProblems } = splitCreditList(section.lines);
    listProblems.forEach(({ line, message }) => problem(line, section.heading, message));
    const check = checks.list();
    const standalone = new Set(paragraphsOf(section.lines).filter((p) => p.lineCount === 1).map((p) => `${p.line}|${p.text}`));
    for (const entry of entries.filter(({ text }) => !LIST_NOTE.test(text))) {
      const credit = splitCredit(entry.text);
      if (!credit?.bracketed) {
        const hint = standalone.has(`${entry.line}|${entry.text}`) && looksLikeHeading(entry.text) ? ` (or, if it is a section heading, it is not one this reader knows: ${KNOWN_HEADINGS})` : '';
        problem(entry.line, section.heading, `"${entry.text}" is not written as "Name (Affiliation)", e.g. "Cecilia Clementi (FU Berlin)"${hint}`);
        continue;
      }
      if (credit.name.length > MAX_TEXT || credit.bracketed.length > MAX_TEXT) {
        problem(entry.line, section.heading, `"${entry.text.slice(0, 60)}...": a name or affiliation is longer than ${MAX_TEXT} characters; is a separator missing?`);
        continue;
      }
      const person = { name: credit.name, familyName: familyNameOf(credit.name), affiliation: credit.bracketed };
      const duplicate = check(person);
      if (duplicate) problem(entry.line, section.heading, duplicate);
      list.push(person);
    }
  };

  const proseOf = (section: Section) => {
    const paragraphs = paragraphsOf(section.lines);
    for (const paragraph of paragraphs) {
      if (paragraph.lineCount === 1 && looksLikeHeading(paragraph.text)) {
        problem(paragraph.line, section.heading, `"${paragraph.text}" looks like a section heading, but not one this reader knows (${KNOWN_HEADINGS}); make it a sentence, rename it, or remove it`);
      }
    }
    return paragraphs;
  };

  const untitledOverview: Section[] = untitled.length > 0 && !hasOverviewHeading ? [{ kind: 'overview', heading: 'Scientific Overview', line: untitled[0].number, lines: untitled }] : [];
  for (const section of [...untitledOverview, ...sections]) {
    switch (section.kind) {
      case 'overview':
        for (const paragraph of proseOf(section)) {
          const text = takeAcknowledgements(paragraph, section.heading);
          if (!text) continue;
          overview.push(text);
          if (POSTER_SESSION.test(text) && !workshop.posterSession) {
            const details = /poster session\s*[;:,.–—-]\s*(.+)$/i.exec(text)?.[1];
            workshop.posterSession = { enabled: !NO_POSTER_SESSION.test(text), ...(details ? { details: capitalize(details) } : {}) };
          }
        }
        break;
      case 'summary':
        workshop.summary = proseOf(section).map((p) => p.text).join(' ') || undefined;
        break;
      case 'participation': {
        const statement = options.diversityStatement ? comparable(options.diversityStatement) : undefined;
        for (const paragraph of proseOf(section)) {
          const kept = sentencesOf(paragraph.text).filter((sentence) => comparable(sentence) !== statement);
          for (const sentence of kept) readLinks(sentence, workshop);
          if (kept.length > 0) participation.push(kept.join(' '));
        }
        break;
      }
      case 'posterSession': {
        const details = proseOf(section).map((p) => p.text).join(' ');
        workshop.posterSession = { enabled: !NO_POSTER_SESSION.test(details), ...(details ? { details } : {}) };
        break;
      }
      case 'acknowledgement':
        for (const paragraph of proseOf(section)) {
          const left = takeAcknowledgements(paragraph, section.heading);
          if (left) problem(paragraph.line, section.heading, `"${left.slice(0, 80)}" is not read as an acknowledgement; write it as "This is a <series>, made possible by a gift from the <sponsor> (<ACRONYM>)." or "This workshop is sponsored by <sponsor>."`);
        }
        break;
      case 'sponsors': {
        const { entries, problems: listProblems } = splitCreditList(section.lines);
        listProblems.forEach(({ line, message }) => problem(line, section.heading, message));
        for (const entry of entries) {
          const sponsor = readSponsor(entry.text);
          if (sponsor) addSponsor(sponsor);
          else problem(entry.line, section.heading, `"${entry.text}" is not written as "Name (ACRONYM)" or "Name"`);
        }
        break;
      }
      case 'organizers':
        readPeople(section, workshop.organizers);
        break;
      case 'speakers':
        readPeople(section, workshop.speakers);
        break;
    }
  }

  if (overview.length > 0) workshop.overview = paragraphsToBlocks(overview.join('\n\n'));
  if (participation.length > 0) workshop.participation = paragraphsToBlocks(participation.join('\n\n'));
  if (series) workshop.series = series;
  // Cards need a sentence or two: the overview's paragraph about "this workshop", when none is given.
  workshop.summary ??= overview.find((paragraph) => /\bthis workshop\b/i.test(paragraph) && !POSTER_SESSION.test(paragraph));
  if (workshop.summary === undefined) delete workshop.summary;

  if (problems.length > 0) throw new WorkshopFileError(fileName, problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return workshop;
};

/** "Register at https://..." sets the registration link; "apply for funding at https://..." the funding one. */
const readLinks = (sentence: string, workshop: WorkshopFile) => {
  for (const [url] of sentence.matchAll(/https?:\/\/[^\s<>"')]+[^\s<>"').,;:]/g)) {
    if (!isHttpUrl(url)) continue;
    const funding = /fund/i.test(sentence);
    const registration = /regist/i.test(sentence);
    if (funding && !registration) workshop.fundingApplicationUrl ??= url;
    else if (registration && !funding) workshop.registrationUrl ??= url;
  }
};
