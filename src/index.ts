import type { Core } from '@strapi/strapi';
import { closeSelfRegistration, grantPublicReadAccess } from './access/public-permissions';
import { registerPublishedOnlyReads } from './access/published-only';
import { registerPublicPermissionChanges } from './access/public-role-permissions';
import { registerAnnouncementAdminRoutes } from './announcements/admin-route';
import { applyContentManagerLayouts } from './admin-ui/content-manager-layouts';
import { createFirstAdmin } from './admin-ui/first-admin';
import { ensureLookupIndexes } from './database/lookup-indexes';
import { releaseStartUpLock, takeStartUpLock } from './database/start-up-lock';
import { registerNextEditionAdminRoute } from './editions/admin-route';
import { assertPublicUrl, assertRealSecrets } from './environment/secrets';
import { registerGraphqlExtensions } from './graphql';
import { logProcessWarnings } from './observability/process-warnings';
import { labelUnlabelledParticipants, registerParticipantLabels } from './participant-labels';
import { closeSharedRedis, connectSharedRedis } from './redis/client';
import { registerCdnPurging } from './cdn';
import { registerPublicChangeTracking } from './public-changes';
import { registerCacheInvalidation } from './response-cache';
import { registerResilience } from './resilience';
import { registerSlugs } from './slugs';
import { registerValidation } from './validation';
import { registerFileRules } from './validation/media-rules';
import { seedEmptyDatabase } from './workshop-files/seed';
import { registerWebhooks, startWebhookDelivery, stopWebhookDelivery } from './webhooks';

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    logProcessWarnings(strapi);
    assertRealSecrets(strapi);
    assertPublicUrl(strapi);
    registerPublishedOnlyReads(strapi);
    registerPublicPermissionChanges(strapi);
    registerPublicChangeTracking(strapi);
    registerCacheInvalidation(strapi);
    registerValidation(strapi);
    registerWebhooks(strapi);
    registerParticipantLabels(strapi);
    registerSlugs(strapi);
    registerGraphqlExtensions(strapi);
    registerNextEditionAdminRoute(strapi);
    registerAnnouncementAdminRoutes(strapi);
    registerResilience(strapi);
    // Held until the end of bootstrap(): instances start one at a time (PostgreSQL).
    await takeStartUpLock(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await connectSharedRedis(strapi.log);
    registerCdnPurging(strapi);
    await ensureLookupIndexes(strapi);
    await grantPublicReadAccess(strapi);
    await closeSelfRegistration(strapi);
    await applyContentManagerLayouts(strapi);
    registerFileRules(strapi);
    await createFirstAdmin(strapi);
    await labelUnlabelledParticipants(strapi);
    await seedEmptyDatabase(strapi);
    await releaseStartUpLock(strapi);
    startWebhookDelivery(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await releaseStartUpLock(strapi);
    await stopWebhookDelivery(strapi);
    await closeSharedRedis();
  },
};
