export type Phase = 'UPCOMING' | 'ONGOING' | 'PAST';

/** A formatter of calendar dates per time zone: building one costs far more than using it. */
const calendars = new Map<string, Intl.DateTimeFormat>();
const calendarIn = (timeZone: string) => new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });

/** The date (YYYY-MM-DD) that `now` is in `timezone`; in UTC when the zone is unknown. */
const dateIn = (timezone: string, now: Date) => {
  let calendar = calendars.get(timezone);
  if (!calendar) {
    try {
      calendar = calendarIn(timezone);
    } catch {
      calendar = calendarIn('UTC');
    }
    calendars.set(timezone, calendar);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of calendar.formatToParts(now)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}`;
};

/**
 * Where a workshop stands today, by the calendar of its own time zone: a workshop in Los
 * Angeles is still ONGOING on its last evening even when it is already tomorrow in Berlin.
 */
export const phaseOf = (startDate: string, endDate: string, timezone: string, now: Date = new Date()): Phase => {
  const today = dateIn(timezone, now);
  if (today < startDate) return 'UPCOMING';
  if (today > endDate) return 'PAST';
  return 'ONGOING';
};
