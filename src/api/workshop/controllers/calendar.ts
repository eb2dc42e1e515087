import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { upcomingCalendar, workshopCalendar } from '../../../calendars/workshop-calendars';
import { workshopCalendarPath } from '../../../workshops/links';

const sendCalendar = (ctx: Context, fileName: string, ics: string) => {
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.set('Content-Disposition', `inline; filename="${fileName}"`);
  ctx.body = ics;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async workshop(ctx: Context) {
    const calendar = await workshopCalendar(strapi, ctx.params.slug);
    if (!calendar) return ctx.notFound(`No published workshop has the slug "${ctx.params.slug}".`);
    // Asked by a former slug: the same calendar, and where it is now.
    if (calendar.slug !== ctx.params.slug) ctx.set('Content-Location', workshopCalendarPath(calendar.slug));
    sendCalendar(ctx, `${calendar.slug}.ics`, calendar.ics);
  },

  async upcoming(ctx: Context) {
    sendCalendar(ctx, 'workshops.ics', await upcomingCalendar(strapi));
  },
});
