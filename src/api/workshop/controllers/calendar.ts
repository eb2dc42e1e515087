import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { upcomingCalendar, workshopCalendar } from '../../../calendars/workshop-calendars';

const sendCalendar = (ctx: Context, fileName: string, ics: string) => {
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.set('Content-Disposition', `inline; filename="${fileName}"`);
  ctx.body = ics;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async workshop(ctx: Context) {
    const ics = await workshopCalendar(strapi, ctx.params.slug);
    if (!ics) return ctx.notFound(`No published workshop has the slug "${ctx.params.slug}".`);
    sendCalendar(ctx, `${ctx.params.slug}.ics`, ics);
  },

  async upcoming(ctx: Context) {
    sendCalendar(ctx, 'workshops.ics', await upcomingCalendar(strapi));
  },
});
