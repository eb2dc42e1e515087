import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { prepareNextEdition, readNextEditionOptions } from './next-edition';

/**
 * The admin UI's "Prepare next edition" button calls this with the staff member's session: it
 * is allowed to whoever may create workshops in the content manager.
 */
export const registerNextEditionAdminRoute = (strapi: Core.Strapi) => {
  strapi.server.routes({
    type: 'admin',
    routes: [
      {
        method: 'POST',
        path: '/workshop-editions/:documentId',
        handler: async (ctx: Context) => {
          if (!ctx.state.userAbility?.can('plugin::content-manager.explorer.create', 'api::workshop.workshop')) {
            throw new errors.ForbiddenError('You may not create workshops.');
          }
          const draft = await prepareNextEdition(strapi, ctx.params.documentId, readNextEditionOptions((ctx.request as { body?: unknown }).body));
          ctx.status = 201;
          ctx.body = { data: { documentId: draft.documentId, title: draft.title, slug: draft.slug } };
        },
        config: { policies: ['admin::isAuthenticatedAdmin'] },
        info: { type: 'admin' },
      },
    ],
  });
};
