export type Phase = 'UPCOMING' | 'ONGOING' | 'PAST';

/** Per time zone: a formatter of its calendar dates (building one costs far more than using it), and the last date read. */
const calendars = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: string }>();
const calendarIn = (timeZone: string) => new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });

/**
 * The date (YYYY-MM-DD) that `now` is in `timezone`; in UTC when the zone is unknown. Every zone's
 * offset is a whole number of minutes, so its date changes only at the turn of a UTC minute: the
 * date read for one minute holds for all of it (formatting dates is most of a phase's cost, and a
 * list asks for 25 phases).
 */
const dateIn = (timezone: string, now: Date) => {
  let calendar = calendars.get(timezone);
  if (!calendar) {
    let format: Intl.DateTimeFormat;
    try {
      format = calendarIn(timezone);
    } catch {
      format = calendarIn('UTC');
    }
    calendars.set(timezone, (calendar = { format, minute: NaN, date: '' }));
  }
  const minute = Math.floor(now.getTime() / 60000);
  if (calendar.minute !== minute) {
    const parts: Record<string, string> = {};
    for (const { type, value } of calendar.format.formatToParts(now)) parts[type] = value;
    calendar.date = `${parts.year}-${parts.month}-${parts.day}`;
    calendar.minute = minute;
  }
  return calendar.date;
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
