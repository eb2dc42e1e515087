import type { Core } from '@strapi/strapi';
import { grantPublicReadAccess } from './access/public-permissions';
import { seedEmptyDatabase } from './workshop-files/seed';

export default {
  register() {},

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await grantPublicReadAccess(strapi);
    await seedEmptyDatabase(strapi);
  },
};
