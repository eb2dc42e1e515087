import type { Core } from '@strapi/strapi';
import { batchedRelationResolvers } from './batched-relations';
import { resolvers, resolversConfig } from './resolvers';
import { typeDefs } from './type-defs';

/** Adds the contract's fields and queries to the shadow CRUD schema, and batches its relations. */
export const registerGraphqlExtensions = (strapi: Core.Strapi) => {
  const extension = strapi.plugin('graphql').service('extension');
  // Private fields are already out of output types and filters; keep them out of inputs too.
  for (const field of ['email', 'notes']) extension.shadowCRUD('api::person.person').field(field).disableInput();
  extension.use(() => {
    const batched = batchedRelationResolvers(strapi);
    const ours = resolvers(strapi);
    const merged: Record<string, Record<string, unknown>> = { ...batched };
    for (const [typeName, fields] of Object.entries(ours)) merged[typeName] = { ...merged[typeName], ...fields };
    return { typeDefs, resolvers: merged, resolversConfig };
  });
};
