import type { Core, UID } from '@strapi/strapi';
import { isShownType, linkedListKey, listKey, PUBLIC_IDS_KEY } from './keys';

/**
 * What one write changed for public readers: the documents (by documentId) of a type, the keys
 * of every answer that may show them (theirs, their type's list, the documents they are related
 * to before and after the write), and whether the set of public people, organizations, sponsors
 * and series may have changed. Webhooks and purges subscribe to these (onPublicChange).
 */
export interface PublicChange {
  uid: string;
  action: string;
  documentIds: string[];
  /** Surrogate keys: what a cache or CDN must forget. */
  keys: string[];
  /** The published workshops' people, organizations, sponsors or series may differ. */
  publicIdsChanged: boolean;
}

type Listener = (change: PublicChange) => void | Promise<void>;
const listeners = new Set<Listener>();

/** What a write is about to do, as a PublicWriteHook sees it before the write. */
export interface PublicWrite {
  uid: string;
  action: string;
  /** Absent on a create. */
  documentId?: string;
}

/**
 * Runs inside the write's own transaction, before and after it: what `after` writes commits with
 * the change or not at all (an outbox), and a throw rolls the write back. `before` sees the
 * documents as they were (e.g. the slug a deleted document had).
 */
export interface PublicWriteHook<Before = unknown> {
  before(write: PublicWrite): Promise<Before>;
  after(change: PublicChange, before: Before): Promise<void>;
}
const writeHooks = new Set<PublicWriteHook<never>>();

export const inPublicWriteTransaction = <Before>(hook: PublicWriteHook<Before>) => {
  writeHooks.add(hook as PublicWriteHook<never>);
  return () => writeHooks.delete(hook as PublicWriteHook<never>);
};

/** Called after the write's transaction committed; a listener's failure is logged, never thrown. */
export const onPublicChange = (listener: Listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

const WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);
/** On a type with draft & publish, what changes the published version (a draft save does not). */
const PUBLISHING = new Set(['publish', 'unpublish', 'delete']);
const WORKSHOP = 'api::workshop.workshop';
/** Types whose links decide which people, organizations, sponsors and series are public. */
const LINKING = new Set<string>([WORKSHOP, 'api::person.person', 'api::workshop-series.workshop-series']);

type Attribute = { type: string; target?: string; component?: string };
type Model = { options?: { draftAndPublish?: boolean }; attributes: Record<string, Attribute> };

/** Whether this write changes what public readers see. */
export const isPublicWrite = (model: Model, action: string, params: { status?: string }) => {
  if (!WRITES.has(action)) return false;
  if (!model.options?.draftAndPublish) return true;
  return PUBLISHING.has(action) || (['create', 'update'].includes(action) && params.status === 'published');
};

/** Documents a document is related to: through its own relations, and through relations of its components. */
interface Related {
  direct: Set<string>;
  throughComponents: Set<string>;
}

const shownRelations = (attributes: Record<string, Attribute>) =>
  Object.entries(attributes).filter(([, a]) => a.type === 'relation' && a.target && isShownType(a.target)).map(([name]) => name);
const relatedPopulate = (relations: string[]) => Object.fromEntries(relations.map((name) => [name, { select: ['documentId'] }]));
const addDocumentIds = (ids: Set<string>, value: unknown) => {
  for (const related of ([] as unknown[]).concat(value ?? [])) {
    const id = (related as { documentId?: unknown } | null)?.documentId;
    if (typeof id === 'string') ids.add(id);
  }
};

/**
 * The documentIds a document is related to, in all its rows (draft and published): through its
 * own relation attributes, the other side of a relation shows this document too (a series its
 * workshops) and changes when this write connects or disconnects it; through the relations of
 * its components (a workshop's speakers' people), the lists of linked documents (a person's
 * workshops: linkedListKey) change.
 */
const relatedDocumentIds = async (strapi: Core.Strapi, uid: string, model: Model, documentId: string): Promise<Related> => {
  const related: Related = { direct: new Set(), throughComponents: new Set() };
  const relations = shownRelations(model.attributes);
  const components = Object.entries(model.attributes)
    .filter(([, a]) => a.type === 'component' && a.component)
    .map(([name, a]) => ({ name, relations: shownRelations((strapi.getModel(a.component as UID.Component)?.attributes ?? {}) as Record<string, Attribute>) }))
    .filter((component) => component.relations.length > 0);
  if (!relations.length && !components.length) return related;
  const rows: Array<Record<string, unknown>> = await strapi.db.query(uid as UID.Schema).findMany({
    where: { documentId },
    select: ['id'],
    populate: {
      ...relatedPopulate(relations),
      ...Object.fromEntries(components.map(({ name, relations: inner }) => [name, { select: ['id'], populate: relatedPopulate(inner) }])),
    },
  });
  for (const row of rows) {
    for (const name of relations) addDocumentIds(related.direct, row[name]);
    for (const { name, relations: inner } of components) {
      for (const component of ([] as Array<Record<string, unknown> | null>).concat((row[name] as never) ?? [])) {
        for (const relation of inner) addDocumentIds(related.throughComponents, component?.[relation]);
      }
    }
  }
  return related;
};

const PENDING = 'publicChangesPending';
type PendingState = { [PENDING]?: Array<Promise<unknown>> };

/**
 * Waits until the changes a request made were counted and purged, so that when a write's answer
 * arrives, the next read anywhere (another instance, a CDN) sees it. Never throws.
 */
export const awaitPublicChanges = async (ctx: { state: PendingState }) => {
  while (ctx.state[PENDING]?.length) await Promise.all(ctx.state[PENDING].splice(0));
};

type WriteContext = { uid: string; action: string; params: Record<string, unknown> };

/**
 * The Document Service middleware that turns writes into PublicChanges: it notes the related
 * documents before the write, lets it run, and announces the change once the write's
 * transaction (the Document Service's own, or an outer one such as an import's) has committed,
 * so that nothing is invalidated or purged before readers can see the new version.
 */
export const registerPublicChanges = (strapi: Core.Strapi) => {
  const announce = (change: PublicChange) => {
    const done = Promise.all(
      [...listeners].map((listener) =>
        Promise.resolve()
          .then(() => listener(change))
          .catch((error) => strapi.log.error(`Public change of ${change.uid} ${change.documentIds.join(', ')}: a subscriber failed: ${String(error)}`))
      )
    );
    // The request that wrote waits for it before answering (awaitPublicChanges).
    const state = (strapi.requestContext.get() as { state?: PendingState } | undefined)?.state;
    if (state) (state[PENDING] ??= []).push(done);
  };
  const afterCommit = (change: PublicChange) =>
    strapi.db.transaction(async ({ onCommit }) => {
      onCommit(() => announce(change));
    });

  strapi.documents.use(async (context, next) => {
    const { uid, action, params } = context as unknown as WriteContext;
    const model = strapi.getModel(uid as UID.Schema) as unknown as Model | undefined;
    if (!model || !isShownType(uid) || !isPublicWrite(model, action, params ?? {})) return next();

    // One transaction around the write (Strapi's repository joins it) and the hooks' writes.
    return strapi.db.transaction(async () => {
      const given = typeof params?.documentId === 'string' ? params.documentId : undefined;
      const hooks = [...writeHooks];
      const none: Related = { direct: new Set(), throughComponents: new Set() };
      const before = given ? await relatedDocumentIds(strapi, uid, model, given) : none;
      const prepared = await Promise.all(hooks.map((hook) => hook.before({ uid, action, documentId: given })));
      const result = await next();
      const documentId = given ?? (result as { documentId?: unknown } | null)?.documentId;
      if (typeof documentId !== 'string') return result;
      const after = action === 'delete' ? none : await relatedDocumentIds(strapi, uid, model, documentId);

      const linked = [...before.direct, ...after.direct, ...before.throughComponents, ...after.throughComponents];
      // A published workshop makes its people, organizations, sponsors and series public (and
      // unpublishing embargoes them again); a person's affiliation or a series' sponsor, too.
      // Reads of those types as such record PUBLIC_IDS_KEY; their list keys stay for their own changes.
      const publicIdsChanged = LINKING.has(uid);
      const keys = [
        ...new Set([
          documentId,
          ...before.direct,
          ...after.direct,
          listKey(strapi, uid),
          ...linked.map((id) => linkedListKey(strapi, uid, id)),
          ...(publicIdsChanged ? [PUBLIC_IDS_KEY] : []),
        ]),
      ];
      const change = { uid, action, documentIds: [documentId], keys, publicIdsChanged };
      for (const [index, hook] of hooks.entries()) await hook.after(change, prepared[index] as never);
      await afterCommit(change);
      return result;
    });
  });

  // Media files are written through Strapi's query layer by the upload plugin, not the Document
  // Service: their lifecycles, after the plugin's write.
  const fileChanged = (action: string) => async ({ result }: { result?: { documentId?: unknown } }) => {
    const documentId = result?.documentId;
    const keys = [listKey(strapi, 'plugin::upload.file'), ...(typeof documentId === 'string' ? [documentId] : [])];
    await afterCommit({ uid: 'plugin::upload.file', action, documentIds: typeof documentId === 'string' ? [documentId] : [], keys, publicIdsChanged: false });
  };
  strapi.db.lifecycles.subscribe({
    models: ['plugin::upload.file'],
    afterCreate: fileChanged('create'),
    afterUpdate: fileChanged('update'),
    afterDelete: fileChanged('delete'),
  });
};
