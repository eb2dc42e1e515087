import type { Core } from '@strapi/strapi';

/** Where IPAM is: the zone of a workshop that sets none, when the Institute sets none either. */
export const DEFAULT_TIMEZONE = 'America/Los_Angeles';

type Zoned = { timezone?: unknown; [field: string]: unknown } | null | undefined;

const zoneOf = (zoned: Zoned) => (typeof zoned?.timezone === 'string' && zoned.timezone ? zoned.timezone : undefined);

/** The Institute's zone, which every workshop without its own is in. */
export const instituteTimezone = (institute: Zoned): string => zoneOf(institute) ?? DEFAULT_TIMEZONE;

/** The zone a workshop's dates and talk times are local to. */
export const workshopTimezone = (workshop: Zoned, institute: Zoned): string => zoneOf(workshop) ?? instituteTimezone(institute);

export const readInstituteTimezone = async (strapi: Core.Strapi): Promise<string> =>
  instituteTimezone((await strapi.db.query('api::institute.institute').findOne({ select: ['timezone'] })) as Zoned);
