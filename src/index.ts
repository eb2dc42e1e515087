import type { Core } from '@strapi/strapi';
import { grantPublicReadAccess } from './access/public-permissions';
import { showFieldDescriptions } from './admin-ui/field-descriptions';
import { assertRealSecrets } from './environment/secrets';
import { registerGraphqlExtensions } from './graphql';
import { seedEmptyDatabase } from './workshop-files/seed';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertRealSecrets(strapi);
    registerGraphqlExtensions(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await grantPublicReadAccess(strapi);
    await showFieldDescriptions(strapi);
    await seedEmptyDatabase(strapi);
  },
};
