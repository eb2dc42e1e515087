import { DateTime } from 'luxon';

export type Phase = 'UPCOMING' | 'ONGOING' | 'PAST';

/**
 * Where a workshop stands today, by the calendar of its own time zone: a workshop in Los
 * Angeles is still ONGOING on its last evening even when it is already tomorrow in Berlin.
 */
export const phaseOf = (startDate: string, endDate: string, timezone: string, now: DateTime = DateTime.now()): Phase => {
  const today = now.setZone(timezone).toISODate()!;
  if (today < startDate) return 'UPCOMING';
  if (today > endDate) return 'PAST';
  return 'ONGOING';
};
