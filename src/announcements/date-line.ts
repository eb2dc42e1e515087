import { DateTime } from 'luxon';

/**
 * The dates of a workshop as announcements print them, read back into ISO dates. Accepts what
 * src/workshops/date-range.ts writes ("January 23 - 27, 2023", "January 30 - February 3, 2023",
 * "December 30, 2024 - January 2, 2025", "March 5, 2024") and what people type instead: any
 * dash or "to", abbreviated months ("Jan.", "Sept"), weekdays, ordinals, day before month
 * ("23 - 27 January 2023"), ISO dates.
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};

const WEEKDAYS = new Set([
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs', 'thursday',
  'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
]);

const RANGE_WORDS = new Set(['to', 'through', 'thru', 'until', 'till']);

export const EARLIEST_YEAR = 1950;
export const LATEST_YEAR = 2200;

export type DateLine = { startDate: string; endDate: string } | { problem: string };

type Side = { month?: number; day?: number; year?: number };

const tokensOf = (line: string) =>
  line
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-')
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
    .replace(/[.,]/g, ' ')
    .replace(/-/g, ' - ')
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => (RANGE_WORDS.has(token) ? '-' : token));

/** True when a line holds a month's name and a number: the date line, well written or not. */
export const looksLikeDateLine = (line: string): boolean => {
  const tokens = tokensOf(line);
  return tokens.length <= 14 && tokens.some((token) => token in MONTHS) && tokens.some((token) => /^\d+$/.test(token));
};

const ISO = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:(?:-|–|—|to)\s*(\d{4}-\d{2}-\d{2}))?\s*$/;

const readSide = (tokens: string[], which: string): Side | string => {
  const side: Side = {};
  for (const token of tokens) {
    if (WEEKDAYS.has(token)) continue;
    if (token in MONTHS) {
      if (side.month !== undefined) return `the ${which} names two months`;
      side.month = MONTHS[token];
    } else if (/^\d{1,2}$/.test(token)) {
      if (side.day !== undefined) return `the ${which} names two days`;
      side.day = Number(token);
    } else if (/^\d{4}$/.test(token)) {
      if (side.year !== undefined) return `the ${which} names two years`;
      side.year = Number(token);
    } else {
      return `"${token}" is neither a month, a day nor a year`;
    }
  }
  if (side.day === undefined) return `the ${which} has no day`;
  return side;
};

const toDate = ({ year, month, day }: Required<Side>, which: string): DateTime | string => {
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return `${year} is not a plausible year (${EARLIEST_YEAR}-${LATEST_YEAR})`;
  const date = DateTime.fromObject({ year, month, day }, { zone: 'UTC' });
  return date.isValid ? date : `the ${which}, ${DateTime.fromObject({ year, month }).toFormat('LLLL')} ${day}, ${year}, is not a day of the calendar`;
};

/** Reads one date line; a problem says what is wrong in words a person can act on. */
export const readDateLine = (line: string): DateLine => {
  const iso = ISO.exec(line);
  if (iso) return checkOrder(DateTime.fromISO(iso[1], { zone: 'UTC' }), DateTime.fromISO(iso[2] ?? iso[1], { zone: 'UTC' }));

  const tokens = tokensOf(line);
  const dashes = tokens.filter((token) => token === '-').length;
  if (dashes > 1) return { problem: 'has more than one dash; write one range, e.g. "January 30 - February 3, 2023"' };
  const dash = tokens.indexOf('-');
  const first = readSide(dash === -1 ? tokens : tokens.slice(0, dash), dash === -1 ? 'date' : 'first day');
  if (typeof first === 'string') return { problem: first };
  const last = dash === -1 ? first : readSide(tokens.slice(dash + 1), 'last day');
  if (typeof last === 'string') return { problem: last };

  // "23 - 27 January 2023": the month is written once, after the last day.
  first.month ??= last.month;
  if (first.month === undefined) return { problem: `the ${dash === -1 ? 'date' : 'first day'} has no month` };
  const lastMonth = last.month ?? first.month;
  const lastYear = last.year ?? first.year;
  if (lastYear === undefined) return { problem: 'has no year, e.g. "January 23 - 27, 2023"' };
  // "December 30 - January 2, 2025": the first day is in the year before.
  const firstYear = first.year ?? (first.month > lastMonth ? lastYear - 1 : lastYear);

  const start = toDate({ year: firstYear, month: first.month, day: first.day! }, dash === -1 ? 'date' : 'first day');
  if (typeof start === 'string') return { problem: start };
  const end = toDate({ year: lastYear, month: lastMonth, day: last.day! }, 'last day');
  if (typeof end === 'string') return { problem: end };
  return checkOrder(start, end);
};

const checkOrder = (start: DateTime, end: DateTime): DateLine => {
  if (!start.isValid || !end.isValid) return { problem: 'is not a date' };
  for (const { year } of [start, end]) {
    if (year < EARLIEST_YEAR || year > LATEST_YEAR) return { problem: `${year} is not a plausible year (${EARLIEST_YEAR}-${LATEST_YEAR})` };
  }
  if (end < start) return { problem: `the last day (${end.toISODate()}) is before the first (${start.toISODate()})` };
  return { startDate: start.toISODate()!, endDate: end.toISODate()! };
};
