import { isScalarType, type GraphQLSchema } from 'graphql';

/** An ISO 8601 date-time in UTC with milliseconds: what Date.prototype.toISOString() writes for years 0-9999. */
const ISO_UTC_MILLISECONDS = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** `value` is a date-time that toISOString() writes exactly so: valid, in UTC, with milliseconds. */
export const isIsoUtcString = (value: unknown): value is string => {
  if (typeof value !== 'string' || !ISO_UTC_MILLISECONDS.test(value)) return false;
  const day = Number(value.slice(8, 10));
  if (day <= 28) return true;
  const month = Number(value.slice(5, 7));
  return day <= (month === 2 && isLeapYear(Number(value.slice(0, 4))) ? 29 : DAYS_IN_MONTH[month - 1]);
};

/**
 * Serializers that graphql-jit uses in place of a scalar's own where the answer is the same
 * text. Strapi's DateTime (graphql-scalars') checks an ISO string, parses it into a Date and
 * leaves JSON.stringify to write it back: the same string when it already is in UTC with
 * milliseconds, as every datetime Strapi reads is (40 of them on a workshop page, where the
 * Dates doubled the time to serialize the response). Anything else goes through the scalar.
 */
export const leafSerializers = (schema: GraphQLSchema): Record<string, (value: unknown) => unknown> => {
  const dateTime = schema.getType('DateTime');
  if (!isScalarType(dateTime)) return {};
  const serialize = dateTime.serialize.bind(dateTime);
  return { DateTime: (value) => (isIsoUtcString(value) ? value : serialize(value)) };
};
