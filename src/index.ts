import type { Core } from '@strapi/strapi';
import { grantPublicReadAccess } from './access/public-permissions';
import { assertRealSecrets } from './environment/secrets';
import { seedEmptyDatabase } from './workshop-files/seed';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertRealSecrets(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await grantPublicReadAccess(strapi);
    await seedEmptyDatabase(strapi);
  },
};
