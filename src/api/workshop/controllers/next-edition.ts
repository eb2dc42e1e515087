import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { prepareNextEdition, readNextEditionOptions } from '../../../editions/next-edition';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async prepare(ctx: Context) {
    const options = readNextEditionOptions((ctx.request as { body?: unknown }).body);
    const draft = await prepareNextEdition(strapi, ctx.params.documentId, options);
    ctx.status = 201;
    ctx.body = { data: await strapi.contentAPI.sanitize.output(draft, strapi.contentType('api::workshop.workshop'), { auth: ctx.state.auth }) };
  },
});
