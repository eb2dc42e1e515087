import { isIsoUtcString } from '../../src/graphql/leaf-serializers';

/** What graphql-scalars' DateTime gives JSON.stringify for a string: a Date, written back by toISOString(). */
const writtenBack = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

describe('isIsoUtcString: a DateTime serialized as it is only when toISOString() writes it the same', () => {
  const pad = (value: number, length: number) => String(value).padStart(length, '0');
  const calendar = [0, 4, 100, 400, 1900, 2000, 2023, 2024, 9999].flatMap((year) =>
    Array.from({ length: 14 }, (_, month) => Array.from({ length: 33 }, (__, day) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T12:34:56.789Z`)).flat()
  );

  it('agrees with the Date round trip on every day of leap and common years, and on impossible ones', () => {
    const disagreements = calendar.filter((value) => isIsoUtcString(value) !== (writtenBack(value) === value));
    expect(disagreements).toEqual([]);
    expect(calendar.filter(isIsoUtcString)).toContain('2024-02-29T12:34:56.789Z');
    expect(calendar.filter(isIsoUtcString)).not.toContain('2023-02-29T12:34:56.789Z');
  });

  it.each(['2023-01-23T24:00:00.000Z', '2023-01-23T23:60:00.000Z', '2023-01-23T09:00:00Z', '2023-01-23T09:00:00.5Z', '2023-01-23T09:00:00.000+01:00', '2023-01-23'])(
    'leaves %s to the scalar',
    (value) => {
      expect(isIsoUtcString(value)).toBe(false);
    }
  );

  it('leaves values other than strings to the scalar', () => {
    expect([new Date(0), 0, null, undefined].some(isIsoUtcString)).toBe(false);
  });
});
