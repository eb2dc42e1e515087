import ical, { type ICalCalendar } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import { blocksToPlainText, type Block } from '../workshop-files/blocks';

export interface CalendarTalk {
  title: string;
  abstract?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  kind: string;
  speakers: string[];
  videoUrl?: string | null;
}

export interface CalendarWorkshop {
  documentId: string;
  title: string;
  startDate: string;
  endDate: string;
  timezone: string;
  summary?: string | null;
  overview?: Block[] | null;
  updatedAt: string;
  pageUrl: string;
  location: string | null;
  talks: CalendarTalk[];
}

/** UIDs stay the same across edits and exports, so calendar apps update events instead of duplicating them. */
const UID_DOMAIN = 'ipam-events-cms';
export const workshopUid = (documentId: string) => `workshop-${documentId}@${UID_DOMAIN}`;
export const talkUid = (documentId: string, position: number) => `workshop-${documentId}-talk-${position}@${UID_DOMAIN}`;

/**
 * An RFC 5545 calendar: each workshop as an all-day event over its dates, and each scheduled
 * talk as a timed event in the workshop's own time zone (with its VTIMEZONE).
 */
export const buildCalendar = (name: string, workshops: CalendarWorkshop[]): ICalCalendar => {
  const calendar = ical({
    name,
    prodId: { company: 'IPAM', product: 'events-cms', language: 'EN' },
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const workshop of workshops) {
    const stamp = DateTime.fromJSDate(new Date(workshop.updatedAt));
    calendar.createEvent({
      id: workshopUid(workshop.documentId),
      stamp,
      allDay: true,
      start: DateTime.fromISO(workshop.startDate, { zone: 'utc' }),
      // All-day events end on the day after the last one (DTEND is exclusive).
      end: DateTime.fromISO(workshop.endDate, { zone: 'utc' }).plus({ days: 1 }),
      summary: workshop.title,
      description: [workshop.summary || blocksToPlainText(workshop.overview), workshop.pageUrl].filter(Boolean).join('\n\n'),
      location: workshop.location,
      url: workshop.pageUrl,
    });
    workshop.talks.forEach((talk, position) => {
      if (!talk.startsAt) return;
      const start = DateTime.fromISO(talk.startsAt).setZone(workshop.timezone);
      calendar.createEvent({
        id: talkUid(workshop.documentId, position),
        stamp,
        start,
        end: talk.endsAt ? DateTime.fromISO(talk.endsAt).setZone(workshop.timezone) : start.plus({ minutes: 30 }),
        timezone: workshop.timezone,
        summary: talk.speakers.length ? `${talk.title} (${talk.speakers.join(', ')})` : talk.title,
        description: [talk.abstract, talk.videoUrl].filter(Boolean).join('\n\n') || null,
        location: workshop.location,
        url: workshop.pageUrl,
        categories: [{ name: talk.kind }],
      });
    });
  }
  return calendar;
};
