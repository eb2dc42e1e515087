import crypto from 'crypto';
import type { Core, UID } from '@strapi/strapi';
import type { PublicChange, PublicWrite, PublicWriteHook } from '../public-changes';
import { OUTBOX } from './outbox';

/** One document an event names. */
export interface EventDocument {
  /** The type's singular name: workshop, person, organization, sponsor, workshop-series, institute. */
  type: string;
  documentId: string;
  /** Its public slug now; for an unpublish or a delete, the slug it had (null: a type without slugs). */
  slug: string | null;
  /** The public slug before this change, when it differed (a renamed page: revalidate the old path too). */
  previousSlug?: string;
}

/** The JSON every target receives (docs/webhooks.md), in the Standard Webhooks envelope. */
export interface WebhookEvent {
  /** e.g. workshop.published, workshop.unpublished, workshop.deleted, person.updated. */
  type: string;
  timestamp: string;
  data: {
    /** The same for every target of this event. */
    eventId: string;
    documents: EventDocument[];
    /** The surrogate keys of every answer that may show the change (as in Surrogate-Key / xkey). */
    keys: string[];
  };
}

type Model = { options?: { draftAndPublish?: boolean }; info?: { singularName?: string }; attributes: Record<string, { type: string }> };

const PAST = { create: 'created', clone: 'created', delete: 'deleted', publish: 'published', unpublish: 'unpublished' } as Record<string, string>;

/**
 * What happened, for a reader: on a type with draft & publish, a create or update that publishes
 * is a publish; on the others (public at once) every write is created, updated or deleted.
 */
export const eventTypeOf = (model: Model, action: string) => {
  const name = model.info?.singularName ?? 'document';
  const draftAndPublish = Boolean(model.options?.draftAndPublish);
  const past = draftAndPublish && ['create', 'update'].includes(action) ? 'published' : (PAST[action] ?? 'updated');
  return `${name}.${past}`;
};

type Slugs = { published: string | null; any: string | null };

/** A document's slugs: its published row's (every row of a type without draft & publish is one), and any row's. */
const slugsOf = async (strapi: Core.Strapi, uid: string, model: Model, documentId: string): Promise<Slugs> => {
  if (model.attributes.slug?.type !== 'uid') return { published: null, any: null };
  const rows: Array<{ slug?: unknown; publishedAt?: unknown }> = await strapi.db.query(uid as UID.Schema).findMany({ where: { documentId }, select: ['slug', 'publishedAt'] });
  const slug = (row?: { slug?: unknown }) => (typeof row?.slug === 'string' ? row.slug : null);
  return { published: slug(rows.find((row) => row.publishedAt)), any: slug(rows[0]) };
};

const NO_SLUGS: Slugs = { published: null, any: null };

/**
 * Writes one outbox row per target for every public change of a content type, inside the
 * change's transaction (src/public-changes: inPublicWriteTransaction): a committed change always
 * has its deliveries, a rolled-back one (a validation error) none. Draft saves are no public
 * change and send nothing.
 */
export const outboxWriter = (strapi: Core.Strapi, targets: string[]): PublicWriteHook<Slugs> => {
  const modelOf = (uid: string) => (uid.startsWith('api::') ? (strapi.getModel(uid as UID.Schema) as unknown as Model | undefined) : undefined);
  return {
    async before({ uid, documentId }: PublicWrite) {
      const model = modelOf(uid);
      return model && documentId ? slugsOf(strapi, uid, model, documentId) : NO_SLUGS;
    },
    async after(change: PublicChange, before: Slugs) {
      const model = modelOf(change.uid);
      if (!model) return;
      const documentId = change.documentIds[0];
      const slugNow = change.action === 'delete' ? null : (await slugsOf(strapi, change.uid, model, documentId)).published;
      // Unpublished or deleted: the slug it had (a deleted draft's, if it was never public).
      const slug = slugNow ?? before.published ?? before.any;
      const document: EventDocument = { type: model.info?.singularName ?? change.uid, documentId, slug };
      if (before.published && slugNow && before.published !== slugNow) document.previousSlug = before.published;

      const event: WebhookEvent = {
        type: eventTypeOf(model, change.action),
        timestamp: new Date().toISOString(),
        data: { eventId: `evt_${crypto.randomUUID()}`, documents: [document], keys: change.keys },
      };
      const body = JSON.stringify(event);
      const now = new Date();
      await strapi.db.query(OUTBOX).createMany({
        data: targets.map((target) => ({
          eventType: event.type,
          messageId: `msg_${crypto.randomUUID()}`,
          target,
          body,
          deliveryStatus: 'pending',
          attempts: 0,
          nextAttemptAt: now,
        })),
      });
    },
  };
};
