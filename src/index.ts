import type { Core } from '@strapi/strapi';
import { closeSelfRegistration, grantPublicReadAccess } from './access/public-permissions';
import { registerPublishedOnlyReads } from './access/published-only';
import { applyContentManagerLayouts } from './admin-ui/content-manager-layouts';
import { createFirstAdmin } from './admin-ui/first-admin';
import { ensureLookupIndexes } from './database/lookup-indexes';
import { registerNextEditionAdminRoute } from './editions/admin-route';
import { assertRealSecrets } from './environment/secrets';
import { registerGraphqlExtensions } from './graphql';
import { closeSharedRedis, connectSharedRedis } from './redis/client';
import { registerCacheInvalidation } from './response-cache';
import { drainInFlightRequests, registerResilience } from './resilience';
import { registerValidation } from './validation';
import { seedEmptyDatabase } from './workshop-files/seed';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertRealSecrets(strapi);
    registerPublishedOnlyReads(strapi);
    registerCacheInvalidation(strapi);
    registerValidation(strapi);
    registerGraphqlExtensions(strapi);
    registerNextEditionAdminRoute(strapi);
    registerResilience(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await connectSharedRedis(strapi.log);
    await ensureLookupIndexes(strapi);
    await grantPublicReadAccess(strapi);
    await closeSelfRegistration(strapi);
    await applyContentManagerLayouts(strapi);
    await createFirstAdmin(strapi);
    await seedEmptyDatabase(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await drainInFlightRequests(strapi);
    await closeSharedRedis();
  },
};
