import type { Core, UID } from '@strapi/strapi';
import { refusePublicReaders, REFUSALS } from '../access/public-readers';

/** Models whose shadow CRUD queries public readers may not run, with what they are told. */
const RESTRICTED: Array<[UID.Schema, string]> = [
  ['plugin::upload.file', REFUSALS.media],
  ['plugin::users-permissions.user', REFUSALS.usersPermissions],
  ['plugin::users-permissions.role', REFUSALS.usersPermissions],
  ['plugin::review-workflows.workflow', REFUSALS.reviewWorkflows],
  ['plugin::review-workflows.workflow-stage', REFUSALS.reviewWorkflows],
];

/**
 * The GraphQL side of src/extensions: the media library (uploadFile, uploadFiles,
 * uploadFiles_connection), users-permissions' users, roles and `me`, and review workflows are
 * refused to anonymous clients and read-only tokens (FORBIDDEN, naming what to use instead).
 * `UploadFile.related` is not in the schema at all: it is private (src/extensions/upload).
 */
export const registerRestrictedQueries = (strapi: Core.Strapi) => {
  strapi.plugin('graphql').service('extension').use(() => {
    const { naming } = strapi.plugin('graphql').service('utils');
    const resolversConfig: Record<string, { policies: unknown[] }> = { 'Query.me': { policies: [refusePublicReaders(REFUSALS.usersPermissions)] } };
    for (const [uid, refusal] of RESTRICTED) {
      const model = strapi.getModel(uid);
      if (!model) continue;
      for (const query of [naming.getFindQueryName(model), naming.getFindConnectionQueryName(model), naming.getFindOneQueryName(model)]) {
        resolversConfig[`Query.${query}`] = { policies: [refusePublicReaders(refusal)] };
      }
    }
    return { resolversConfig };
  });
};
