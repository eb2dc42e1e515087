import type { StrapiApp } from '@strapi/strapi/admin';
import { PrepareNextEditionAction } from './next-edition-action';

export default {
  config: {
    locales: [],
  },
  bootstrap(app: StrapiApp) {
    const contentManager = app.getPlugin('content-manager') as unknown as {
      apis: { addDocumentAction(add: (actions: unknown[]) => unknown[]): void };
    };
    contentManager.apis.addDocumentAction((actions) => [...actions, PrepareNextEditionAction]);
  },
};
