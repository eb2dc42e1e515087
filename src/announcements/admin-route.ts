import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { createAnnouncementDraft, previewAnnouncement, readAnnouncement } from './draft';

const CREATE = 'plugin::content-manager.explorer.create';
const MAX_CHARACTERS = 100_000;

/** What each count of the preview creates, for the permission check. */
const CREATED_TYPES = {
  people: 'api::person.person',
  organizations: 'api::organization.organization',
  sponsors: 'api::sponsor.sponsor',
  series: 'api::workshop-series.workshop-series',
} as const;

type Ability = { can(action: string, subject: string): boolean } | undefined;

// A PolicyError, not a ForbiddenError: Strapi's route authorization turns any ForbiddenError
// thrown below it into a bare "Forbidden", and staff should read why.

const announcementText = (ctx: Context) => {
  const text = ((ctx.request as { body?: { text?: unknown } }).body ?? {}).text;
  if (typeof text !== 'string' || !text.trim()) throw new errors.ValidationError('Paste the announcement\'s text: "text" must be the announcement, starting with its title line.');
  if (text.length > MAX_CHARACTERS) throw new errors.ValidationError(`The announcement is ${text.length} characters long; at most ${MAX_CHARACTERS}.`);
  return text;
};

const mayCreateWorkshops = (ability: Ability) => {
  if (!ability?.can(CREATE, 'api::workshop.workshop')) throw new errors.PolicyError('You may not create workshops.');
};

/**
 * The admin UI's "Import announcement" page: staff paste an announcement, see what was read and
 * who is new (preview, nothing written), then confirm and the draft is created. Allowed to
 * whoever may create workshops in the content manager, and the people, organizations, sponsors
 * and series the announcement adds.
 */
export const registerAnnouncementAdminRoutes = (strapi: Core.Strapi) => {
  strapi.server.routes({
    type: 'admin',
    routes: [
      {
        method: 'POST',
        path: '/workshop-announcements/preview',
        handler: async (ctx: Context) => {
          mayCreateWorkshops(ctx.state.userAbility);
          const file = await readAnnouncement(strapi, announcementText(ctx), 'announcement');
          ctx.body = { data: await previewAnnouncement(strapi, file) };
        },
        config: { policies: ['admin::isAuthenticatedAdmin'] },
        info: { type: 'admin' },
      },
      {
        method: 'POST',
        path: '/workshop-announcements',
        handler: async (ctx: Context) => {
          const ability: Ability = ctx.state.userAbility;
          mayCreateWorkshops(ability);
          const file = await readAnnouncement(strapi, announcementText(ctx), 'announcement');
          const { creates } = await previewAnnouncement(strapi, file);
          for (const [kind, uid] of Object.entries(CREATED_TYPES)) {
            if (creates[kind as keyof typeof creates] > 0 && !ability?.can(CREATE, uid)) {
              throw new errors.PolicyError(`The announcement adds ${creates[kind as keyof typeof creates]} new ${kind}, and you may not create ${kind}.`);
            }
          }
          const result = await createAnnouncementDraft(strapi, file);
          ctx.status = 201;
          ctx.body = { data: { documentId: result.documentId, slug: result.slug, title: file.title, createdByType: result.createdByType } };
        },
        config: { policies: ['admin::isAuthenticatedAdmin'] },
        info: { type: 'admin' },
      },
    ],
  });
};
