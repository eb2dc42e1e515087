import type { StrapiApp } from '@strapi/strapi/admin';
import { ANNOUNCEMENT_IMPORT_PATH, AnnouncementIcon, ImportAnnouncementLink } from './announcement-import-link';
import { PrepareNextEditionAction } from './next-edition-action';
import { SlugFollowsTitle } from './slug-follows-title';

export default {
  config: {
    locales: [],
  },
  register(app: StrapiApp) {
    app.addMenuLink({
      to: ANNOUNCEMENT_IMPORT_PATH.slice(1),
      icon: AnnouncementIcon,
      intlLabel: { id: 'announcement-import.menu', defaultMessage: 'Import announcement' },
      permissions: [{ action: 'plugin::content-manager.explorer.create', subject: 'api::workshop.workshop' }],
      Component: () => import('./announcement-import-page'),
    });
  },
  bootstrap(app: StrapiApp) {
    const contentManager = app.getPlugin('content-manager') as unknown as {
      apis: {
        addDocumentAction(add: (actions: unknown[]) => unknown[]): void;
        addDocumentHeaderAction(add: (actions: unknown[]) => unknown[]): void;
      };
      injectComponent(view: 'listView', zone: 'actions', component: { name: string; Component: () => JSX.Element | null }): void;
    };
    contentManager.apis.addDocumentAction((actions) => [...actions, PrepareNextEditionAction]);
    contentManager.apis.addDocumentHeaderAction((actions) => [...actions, SlugFollowsTitle]);
    contentManager.injectComponent('listView', 'actions', { name: 'import-announcement', Component: ImportAnnouncementLink });
  },
};
