import { refusePublicReadersOn, REFUSALS } from '../../access/public-readers';

type Plugin = { routes: { 'content-api': { routes: Array<Parameters<typeof refusePublicReadersOn>[0][number]> } } };

/**
 * Users, roles and permissions (/api/users..., /api/users-permissions/...) are refused to
 * anonymous clients and read-only tokens. Full-access tokens, and tokens or roles granted them,
 * keep them. The authentication routes (/api/auth/...) are left as they are (registration is
 * closed, src/access/public-permissions.ts).
 */
export default (plugin: Plugin) => {
  const routes = plugin.routes['content-api'].routes.filter(({ handler }) => !handler.startsWith('auth.'));
  refusePublicReadersOn(routes, REFUSALS.usersPermissions);
  return plugin;
};
