import type { Core } from '@strapi/strapi';

/** What anonymous clients may do: read the published content types, nothing else. */
export const PUBLIC_ACTIONS = [
  'api::workshop.workshop.find',
  'api::workshop.workshop.findOne',
  'api::person.person.find',
  'api::person.person.findOne',
  'api::organization.organization.find',
  'api::organization.organization.findOne',
  'api::sponsor.sponsor.find',
  'api::sponsor.sponsor.findOne',
  'api::workshop-series.workshop-series.find',
  'api::workshop-series.workshop-series.findOne',
  'api::institute.institute.find',
];

const PERMISSION = 'plugin::users-permissions.permission';

/**
 * Makes the Public role hold exactly PUBLIC_ACTIONS among our API's actions, at every start:
 * missing ones are granted, any other `api::` action granted by hand is withdrawn.
 */
export const grantPublicReadAccess = async (strapi: Core.Strapi) => {
  const publicRole = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
  if (!publicRole) throw new Error('The users-permissions plugin has no Public role; it should create one at start-up.');

  const granted: Array<{ id: number; action: string }> = await strapi.db
    .query(PERMISSION)
    .findMany({ where: { role: publicRole.id, action: { $startsWith: 'api::' } } });

  const extra = granted.filter(({ action }) => !PUBLIC_ACTIONS.includes(action));
  if (extra.length > 0) {
    await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: extra.map(({ id }) => id) } } });
    strapi.log.warn(`Public role: withdrew ${extra.map(({ action }) => action).join(', ')}`);
  }
  const have = new Set(granted.map(({ action }) => action));
  for (const action of PUBLIC_ACTIONS.filter((a) => !have.has(a))) {
    await strapi.db.query(PERMISSION).create({ data: { action, role: publicRole.id } });
  }
};

/**
 * Nobody signs up to this CMS: staff use the admin UI and servers use API tokens. Strapi's
 * users-permissions plugin lets anyone register an end-user account by default; turn that off.
 */
export const closeSelfRegistration = async (strapi: Core.Strapi) => {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
  const advanced = ((await store.get()) ?? {}) as Record<string, unknown>;
  if (advanced.allow_register !== false) await store.set({ value: { ...advanced, allow_register: false } });
};
