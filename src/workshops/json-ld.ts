import { blocksToPlainText, type Block } from '../workshop-files/blocks';

interface Named {
  name: string;
  url?: string | null;
}
interface Credit {
  person: Named & { homepage?: string | null };
  affiliation: Named | null;
}
interface Venue {
  name: string;
  streetAddress?: string | null;
  locality?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  attendanceMode?: 'offline' | 'online' | 'mixed' | null;
}

export interface JsonLdInput {
  title: string;
  startDate: string;
  endDate: string;
  summary?: string | null;
  overview?: Block[] | null;
  pageUrl: string;
  venue: Venue | null;
  organizers: Credit[];
  speakers: Credit[];
  sponsors: Array<Named & { acronym?: string | null }>;
  series: (Named & { slug?: string | null }) | null;
  institute: (Named & { url?: string | null }) | null;
}

const ATTENDANCE_MODE = {
  offline: 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  mixed: 'https://schema.org/MixedEventAttendanceMode',
};

/** `value` without its empty properties (null, undefined, ''). */
const compact = <T extends object>(value: T) => {
  const kept: Partial<T> = {};
  for (const key in value) {
    const item = value[key];
    if (item !== null && item !== undefined && item !== '') kept[key] = item;
  }
  return kept;
};

const personLd = ({ person, affiliation }: Credit) =>
  compact({
    '@type': 'Person',
    name: person.name,
    url: person.homepage,
    affiliation: affiliation ? compact({ '@type': 'Organization', name: affiliation.name, url: affiliation.url }) : undefined,
  });

const placeLd = (venue: Venue) =>
  compact({
    '@type': 'Place',
    name: venue.name,
    address: compact({
      '@type': 'PostalAddress',
      streetAddress: venue.streetAddress,
      addressLocality: venue.locality,
      addressRegion: venue.region,
      postalCode: venue.postalCode,
      addressCountry: venue.country,
    }),
  });

/**
 * A workshop as a schema.org EducationEvent, with the properties Google's event rich results
 * require (name, startDate, location) and recommend (description, endDate, eventStatus,
 * eventAttendanceMode, organizer, performer, url), plus sponsor/funder and the series as
 * superEvent.
 */
export const workshopJsonLd = (input: JsonLdInput) => {
  const sponsors = input.sponsors.map((sponsor) =>
    compact({ '@type': 'Organization', name: sponsor.name, alternateName: sponsor.acronym, url: sponsor.url })
  );
  const institute = input.institute ? [compact({ '@type': 'Organization', name: input.institute.name, url: input.institute.url })] : [];
  return compact({
    '@context': 'https://schema.org',
    '@type': 'EducationEvent',
    name: input.title,
    description: input.summary || blocksToPlainText(input.overview) || undefined,
    startDate: input.startDate,
    endDate: input.endDate,
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: ATTENDANCE_MODE[input.venue?.attendanceMode ?? 'offline'],
    location: input.venue ? placeLd(input.venue) : undefined,
    url: input.pageUrl,
    organizer: [...institute, ...input.organizers.map(personLd)],
    performer: input.speakers.map(personLd),
    sponsor: sponsors.length ? sponsors : undefined,
    funder: sponsors.length ? sponsors : undefined,
    superEvent: input.series ? compact({ '@type': 'EventSeries', name: input.series.name }) : undefined,
  });
};
