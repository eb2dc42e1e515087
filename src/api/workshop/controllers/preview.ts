import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

const POPULATE = {
  series: { populate: ['sponsor'] },
  sponsors: true,
  organizers: { populate: ['person', 'affiliation'] },
  speakers: { populate: ['person', 'affiliation'] },
  talks: { populate: ['speakers'] },
  posterSession: true,
  venue: true,
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async draft(ctx: Context) {
    const { documentId } = ctx.params;
    const draft = await strapi.documents('api::workshop.workshop').findOne({ documentId, status: 'draft', populate: POPULATE as never });
    if (!draft) return ctx.notFound(`No workshop has the documentId "${documentId}".`);
    const sanitized = await strapi.contentAPI.sanitize.output(draft, strapi.contentType('api::workshop.workshop'), { auth: ctx.state.auth });
    ctx.body = { data: sanitized };
  },
});
