import type { Core } from '@strapi/strapi';

/** Creates an API token as staff would in the admin UI, and returns its secret. */
export const createApiToken = async (
  strapi: Core.Strapi,
  type: 'read-only' | 'full-access' | 'custom',
  permissions: string[] = []
): Promise<string> => {
  const token = await strapi.service('admin::api-token').create({
    name: `test-${type}-${Math.random().toString(36).slice(2)}`,
    type,
    lifespan: null,
    permissions: type === 'custom' ? permissions : undefined,
  });
  return token.accessKey;
};
