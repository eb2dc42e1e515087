import type { Core } from '@strapi/strapi';
import { linkedIds, relatedIds } from '../database/linked-ids';
import { PUBLIC_IDS_KEY } from '../public-changes/keys';
import { versionedValue } from '../response-cache/versioned-value';

export type EmbargoedUid = 'api::person.person' | 'api::organization.organization' | 'api::sponsor.sponsor' | 'api::workshop-series.workshop-series';
export type PublicIds = Record<EmbargoedUid, number[]>;

export const EMBARGOED: EmbargoedUid[] = ['api::person.person', 'api::organization.organization', 'api::sponsor.sponsor', 'api::workshop-series.workshop-series'];

const WORKSHOP = 'api::workshop.workshop';
const shownThrough = async (strapi: Core.Strapi, paths: string[]) =>
  new Set((await Promise.all(paths.map((path) => linkedIds(strapi, WORKSHOP, path, 'publishedAt')))).flat());

/**
 * The people, organizations, sponsors and series that published workshops show: their
 * organizers, speakers and talks' speakers, those people's current affiliations and the
 * affiliations printed for them, sponsors, series and the series' sponsors, read from the link
 * tables (src/database/linked-ids.ts; the affiliations of the people found in one lookup rather
 * than by walking every talk again). Anything else exists only for drafts (an unannounced
 * line-up) and stays embargoed: not listed, not found, not counted, not filterable.
 */
const findPublicIds = async (strapi: Core.Strapi): Promise<PublicIds> => {
  const [people, printedAffiliations, sponsors, series] = await Promise.all([
    shownThrough(strapi, ['organizers.person', 'speakers.person', 'talks.speakers']),
    shownThrough(strapi, ['organizers.affiliation', 'speakers.affiliation']),
    shownThrough(strapi, ['sponsors', 'series.sponsor']),
    shownThrough(strapi, ['series']),
  ]);
  const currentAffiliations = await relatedIds(strapi, 'api::person.person', 'affiliation', [...people]);
  return {
    'api::person.person': [...people],
    'api::organization.organization': [...new Set([...printedAffiliations, ...currentAffiliations])],
    'api::sponsor.sponsor': [...sponsors],
    'api::workshop-series.workshop-series': [...series],
  };
};

/**
 * findPublicIds, computed once per version of PUBLIC_IDS_KEY (stamped by every publish,
 * unpublish or delete of a workshop and every change of a person or series:
 * src/public-changes/changes.ts; never by a draft save) rather than per request: it loads every
 * published workshop with its people, which took 1.4-2.5 s at 1,000 workshops (bench/README.md).
 */
const publicIdsOfThisVersion = versionedValue<PublicIds>(PUBLIC_IDS_KEY, 60_000);
export const currentPublicIds = (strapi: Core.Strapi): Promise<PublicIds> => publicIdsOfThisVersion(strapi, () => findPublicIds(strapi));
