import { refusePublicReadersOn, REFUSALS } from '../../access/public-readers';

type Plugin = {
  routes: { 'content-api': { routes: Parameters<typeof refusePublicReadersOn>[0] } };
  contentTypes: { file: { schema: { attributes: { related: { private?: boolean } } } } };
};

/**
 * The media library's content API (/api/upload, /api/upload/files[/:id]) is refused to anonymous
 * clients and read-only tokens: it lists every file, those of drafts and embargoed people too.
 * They get published documents' files through the documents. The admin UI's routes are untouched.
 *
 * A file's `related` (every document it is attached to, drafts and embargoed people included,
 * through none of our published-only filters) is private: out of every content-API answer and
 * populate (`/api/people?populate[photo][populate]=related`) and out of the GraphQL schema, for
 * every client. Front ends reach files from the documents that show them; the admin UI does not
 * read it through the content API.
 */
export default (plugin: Plugin) => {
  refusePublicReadersOn(plugin.routes['content-api'].routes, REFUSALS.media);
  plugin.contentTypes.file.schema.attributes.related.private = true;
  return plugin;
};
