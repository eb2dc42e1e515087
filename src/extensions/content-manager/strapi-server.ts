import { withOurSlugs, type UidServiceFactory } from '../../slugs/content-manager-uid';

type Plugin = { services: Record<string, unknown> };

/** The admin UI's slug field makes slugs as saves do (src/slugs/content-manager-uid.ts). */
export default (plugin: Plugin) => {
  const uid = plugin.services.uid;
  if (typeof uid !== 'function') {
    throw new Error("The content manager has no `uid` service: src/slugs/content-manager-uid.ts must follow Strapi's change.");
  }
  plugin.services.uid = withOurSlugs(uid as UidServiceFactory);
  return plugin;
};
