import type { Core } from '@strapi/strapi';
import { LAYOUTS, type Layout } from './layouts';

type Metadata = { edit: Record<string, unknown>; list: Record<string, unknown> };
type Configuration = {
  settings: Record<string, unknown>;
  metadatas: Record<string, Metadata>;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
};
type ConfigurationService = {
  findConfiguration(model: { uid: string }): Promise<Configuration>;
  updateConfiguration(model: { uid: string }, configuration: Configuration): Promise<unknown>;
};
type Model = { uid: string; attributes: Record<string, { description?: string }> };

const OURS = /^(api::|workshop\.)/;

const withLayout = (current: Configuration, model: Model, layout: Layout = {}): Configuration => {
  const next: Configuration = JSON.parse(JSON.stringify(current));
  if (layout.mainField) next.settings.mainField = layout.mainField;
  if (layout.sort) [next.settings.defaultSortBy, next.settings.defaultSortOrder] = layout.sort;
  if (layout.list) next.layouts.list = layout.list;
  if (layout.edit) next.layouts.edit = layout.edit.map((row) => row.map(([name, size]) => ({ name, size })));
  for (const [name, attribute] of Object.entries(model.attributes)) {
    const metadata = next.metadatas[name];
    if (!metadata) continue;
    const label = layout.labels?.[name];
    if (label) metadata.edit.label = metadata.list.label = label;
    if (attribute.description) metadata.edit.description = attribute.description;
    if (layout.readOnly?.includes(name)) metadata.edit.editable = false;
  }
  return next;
};

/**
 * Applies src/admin-ui/layouts.ts and the schema descriptions to the content manager's stored
 * configuration, at every start; writes only what differs, so it is idempotent.
 */
export const applyContentManagerLayouts = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  const targets: Array<[ConfigurationService, Record<string, Model>]> = [
    [contentManager.service('content-types') as ConfigurationService, strapi.contentTypes as never],
    [contentManager.service('components') as ConfigurationService, strapi.components as never],
  ];
  for (const [service, models] of targets) {
    for (const model of Object.values(models).filter(({ uid }) => OURS.test(uid))) {
      const current = await service.findConfiguration(model);
      const next = withLayout(current, model, LAYOUTS[model.uid]);
      if (JSON.stringify(next) !== JSON.stringify(current)) await service.updateConfiguration(model, next);
    }
  }
};
