import type { Core, UID } from '@strapi/strapi';

/** The types whose slug is made from their title or name when none is given. */
export const SLUGGED = [
  'api::workshop.workshop',
  'api::person.person',
  'api::organization.organization',
  'api::sponsor.sponsor',
  'api::workshop-series.workshop-series',
] as const;
export type SluggedUid = (typeof SLUGGED)[number];

/** The types whose former slugs stay aliases: front ends link to their pages. */
export const ALIASED: ReadonlySet<string> = new Set(['api::workshop.workshop', 'api::person.person']);

export const isSlugged = (uid: string): uid is SluggedUid => (SLUGGED as readonly string[]).includes(uid);

/** The field a type's slug is made from: the `targetField` of its `slug` in schema.json. */
export const slugSourceOf = (strapi: Core.Strapi, uid: SluggedUid): string =>
  (strapi.getModel(uid as UID.ContentType).attributes as Record<string, { targetField?: string }>).slug.targetField!;
