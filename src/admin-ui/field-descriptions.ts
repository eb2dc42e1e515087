import type { Core } from '@strapi/strapi';

type Metadatas = Record<string, { edit?: Record<string, unknown>; list?: Record<string, unknown> }>;
type Configuration = { metadatas: Metadatas; [key: string]: unknown };
type ConfigurationService = {
  findConfiguration(model: { uid: string }): Promise<Configuration>;
  updateConfiguration(model: { uid: string }, configuration: Configuration): Promise<unknown>;
};

const OURS = /^(api::|workshop\.)/;

/**
 * Shows each attribute's `description` from its schema.json under the field in the admin UI's
 * edit view. Strapi keeps those hints in the content manager's stored configuration, not the
 * schema; copying them at every start keeps the schema files the one place to write them.
 */
export const showFieldDescriptions = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  const targets: Array<[ConfigurationService, Record<string, { uid: string; attributes: Record<string, unknown> }>]> = [
    [contentManager.service('content-types') as ConfigurationService, strapi.contentTypes as never],
    [contentManager.service('components') as ConfigurationService, strapi.components as never],
  ];
  for (const [service, models] of targets) {
    for (const model of Object.values(models).filter(({ uid }) => OURS.test(uid))) {
      const configuration = await service.findConfiguration(model);
      let changed = false;
      for (const [name, attribute] of Object.entries(model.attributes)) {
        const description = (attribute as { description?: string }).description;
        const edit = configuration.metadatas[name]?.edit;
        if (description && edit && edit.description !== description) {
          edit.description = description;
          changed = true;
        }
      }
      if (changed) await service.updateConfiguration(model, configuration);
    }
  }
};
