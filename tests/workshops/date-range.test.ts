import { formatDateRange } from '../../src/workshops/date-range';
import { phaseOf } from '../../src/workshops/phase';

describe('dateRange, as the institute prints dates', () => {
  it.each([
    ['2023-01-23', '2023-01-27', 'January 23 - 27, 2023'],
    ['2023-01-30', '2023-02-03', 'January 30 - February 3, 2023'],
    ['2024-12-30', '2025-01-02', 'December 30, 2024 - January 2, 2025'],
    ['2025-03-04', '2025-03-04', 'March 4, 2025'],
  ])('%s to %s is "%s"', (start, end, printed) => {
    expect(formatDateRange(start, end)).toBe(printed);
  });
});

describe('phase, by the calendar of the workshop time zone', () => {
  const at = (iso: string) => new Date(iso);
  const losAngeles = (iso: string) => phaseOf('2023-01-23', '2023-01-27', 'America/Los_Angeles', at(iso));

  it('is UPCOMING until the first day begins there', () => {
    expect(losAngeles('2023-01-22T23:59:59-08:00')).toBe('UPCOMING');
    // Already January 23 in Berlin, still the 22nd in Los Angeles.
    expect(losAngeles('2023-01-23T07:59:00Z')).toBe('UPCOMING');
  });

  it('is ONGOING from the first day through the whole last day there', () => {
    expect(losAngeles('2023-01-23T00:00:00-08:00')).toBe('ONGOING');
    expect(losAngeles('2023-01-27T23:59:59-08:00')).toBe('ONGOING');
    // January 28 in UTC, still the 27th in Los Angeles.
    expect(losAngeles('2023-01-28T07:30:00Z')).toBe('ONGOING');
  });

  it('is PAST once the day after the last one begins there', () => {
    expect(losAngeles('2023-01-28T00:00:00-08:00')).toBe('PAST');
    expect(losAngeles('2023-01-28T08:00:00Z')).toBe('PAST');
  });

  it('follows the workshop own zone, not the server one', () => {
    const tokyo = (iso: string) => phaseOf('2023-01-23', '2023-01-27', 'Asia/Tokyo', at(iso));
    expect(tokyo('2023-01-22T15:00:00Z')).toBe('ONGOING');
    expect(tokyo('2023-01-22T14:59:59Z')).toBe('UPCOMING');
  });

  it('turns at local midnight in a zone offset by minutes, from one minute to the next', () => {
    const kathmandu = (iso: string) => phaseOf('2023-01-23', '2023-01-27', 'Asia/Kathmandu', at(iso));
    expect(kathmandu('2023-01-22T18:14:00Z')).toBe('UPCOMING');
    expect(kathmandu('2023-01-22T18:14:59.999Z')).toBe('UPCOMING');
    expect(kathmandu('2023-01-22T18:15:00Z')).toBe('ONGOING');
    expect(kathmandu('2023-01-22T18:15:59Z')).toBe('ONGOING');
    expect(kathmandu('2023-01-22T18:14:30Z')).toBe('UPCOMING');
  });

  it('falls back on UTC for a zone it does not know', () => {
    expect(phaseOf('2023-01-23', '2023-01-27', 'Mars/Olympus_Mons', at('2023-01-22T23:00:00-08:00'))).toBe('ONGOING');
    expect(phaseOf('2023-01-23', '2023-01-27', 'Mars/Olympus_Mons', at('2023-01-22T23:59:59Z'))).toBe('UPCOMING');
  });
});
