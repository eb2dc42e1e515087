import type { Core } from '@strapi/strapi';
import { freeSlug } from './free-slug';
import { isSlugged, slugSourceOf } from './models';
import { slugify } from './slugify';

type GenerateArgs = { contentTypeUID: string; field: string; data?: Record<string, unknown>; locale?: string };
type UidService = { generateUIDField(args: GenerateArgs): Promise<string> };
export type UidServiceFactory = (deps: { strapi: Core.Strapi }) => UidService;

/**
 * The admin UI's slug field asks the content manager's `uid` service for a slug (its default
 * when the form opens, "Regenerate", and src/admin/slug-follows-title.ts while a title is
 * typed). Strapi's makes it with another transliteration (@sindresorhus/slugify, `-1` suffixes)
 * and, for an empty title, from the type's name: that was the `workshop` every new workshop
 * showed. For our types it answers what a save would: our slug function and free slug, or
 * nothing while there is no title to make one from. The one place that reaches into the content
 * manager's services; tests/slugs/slugs.test.ts fails by name if Strapi changes them.
 */
export const withOurSlugs =
  (factory: UidServiceFactory): UidServiceFactory =>
  ({ strapi }) => {
    const service = factory({ strapi });
    const strapisSlug = service.generateUIDField.bind(service);
    return Object.assign(service, {
      async generateUIDField(args: GenerateArgs) {
        const { contentTypeUID: uid, field, data = {} } = args;
        if (!isSlugged(uid) || field !== 'slug') return strapisSlug(args);
        const source = data[slugSourceOf(strapi, uid)];
        const base = typeof source === 'string' ? slugify(source) : '';
        if (!base) return '';
        // The form sends its document's id as `id`: its own slug is not a clash.
        const documentId = typeof data.id === 'string' && data.id !== '' ? data.id : undefined;
        return freeSlug(strapi, uid, base, documentId);
      },
    });
  };
