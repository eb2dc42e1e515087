import type { Core } from '@strapi/strapi';
import { refusePublicReadersOn, REFUSALS } from '../../access/public-readers';
import { withCachedPublicPermissions } from '../../access/public-role-permissions';

type PermissionServiceFactory = (deps: { strapi: Core.Strapi }) => Parameters<typeof withCachedPublicPermissions>[1];
type Plugin = {
  routes: { 'content-api': { routes: Array<Parameters<typeof refusePublicReadersOn>[0][number]> } };
  services: { permission: PermissionServiceFactory };
};

/**
 * Users, roles and permissions (/api/users..., /api/users-permissions/...) are refused to
 * anonymous clients and read-only tokens. Full-access tokens, and tokens or roles granted them,
 * keep them. The authentication routes (/api/auth/...) are left as they are (registration is
 * closed, src/access/public-permissions.ts). The Public role's permissions are read once per
 * change, not per request (src/access/public-role-permissions.ts).
 */
export default (plugin: Plugin) => {
  const routes = plugin.routes['content-api'].routes.filter(({ handler }) => !handler.startsWith('auth.'));
  refusePublicReadersOn(routes, REFUSALS.usersPermissions);
  const permissionService = plugin.services.permission;
  plugin.services.permission = (deps) => withCachedPublicPermissions(deps.strapi, permissionService(deps));
  return plugin;
};
