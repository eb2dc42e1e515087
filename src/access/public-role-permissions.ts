import type { Core } from '@strapi/strapi';
import { responseCacheParts } from '../response-cache';
import { versionedValue } from '../response-cache/versioned-value';

/**
 * Stamped whenever a permission or a role of users-permissions is written (staff editing the
 * Public role in the admin UI, the start-up's grantPublicReadAccess): what anonymous clients may
 * do changed. Every cached answer depends on it (src/middlewares/graphql-response-cache.ts).
 */
export const PUBLIC_PERMISSIONS_KEY = 'public-permissions';

const ROLE_MODELS = ['plugin::users-permissions.permission', 'plugin::users-permissions.role'];

type PermissionService = { findPublicPermissions(): Promise<unknown[]> } & Record<string, unknown>;

/**
 * users-permissions reads the Public role's permissions from the database for every anonymous
 * request (its authentication strategy): one statement per uncached read, the largest part of
 * a small one. Read once per version of PUBLIC_PERMISSIONS_KEY instead, by each instance of
 * the service (a Strapi started again in the same process, as tests do, wraps it again).
 */
export const withCachedPublicPermissions = (strapi: Core.Strapi, service: PermissionService): PermissionService => {
  // A method of the plugin's, not a public API: an upgrade that renames it stops the start here,
  // rather than every anonymous request being refused.
  if (typeof service.findPublicPermissions !== 'function') {
    throw new Error("users-permissions' permission service has no findPublicPermissions any more: update src/access/public-role-permissions.ts");
  }
  const ofThisVersion = versionedValue<unknown[]>(PUBLIC_PERMISSIONS_KEY, 60_000);
  return { ...service, findPublicPermissions: () => ofThisVersion(strapi, () => service.findPublicPermissions()) };
};

/** Stamps PUBLIC_PERMISSIONS_KEY after any write of a role or permission has committed. */
export const registerPublicPermissionChanges = (strapi: Core.Strapi) => {
  const changed = async () => {
    await strapi.db.transaction(async ({ onCommit }) => {
      onCommit(() =>
        responseCacheParts(strapi.log)
          .versions.bump([PUBLIC_PERMISSIONS_KEY])
          .catch((error) => strapi.log.error(`Public role: could not count a change of its permissions: ${String(error)}`))
      );
    });
  };
  strapi.db.lifecycles.subscribe({
    models: ROLE_MODELS,
    afterCreate: changed,
    afterCreateMany: changed,
    afterUpdate: changed,
    afterUpdateMany: changed,
    afterDelete: changed,
    afterDeleteMany: changed,
  });
};
