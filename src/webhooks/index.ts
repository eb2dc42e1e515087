import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { inPublicWriteTransaction, onPublicChange } from '../public-changes';
import { WebhookDispatcher } from './dispatcher';
import { outboxWriter } from './events';
import { OUTBOX } from './outbox';
import { webhookSettings, type WebhookConfig } from './settings';

const dispatchers = new WeakMap<Core.Strapi, WebhookDispatcher>();
/** What to undo on destroy: the subscriptions live in src/public-changes, beyond this Strapi. */
const subscriptions = new WeakMap<Core.Strapi, Array<() => unknown>>();
const keep = (strapi: Core.Strapi, unsubscribe: () => unknown) => subscriptions.set(strapi, [...(subscriptions.get(strapi) ?? []), unsubscribe]);

const settingsOf = (strapi: Core.Strapi) => webhookSettings(strapi.config.get('webhooks') as Partial<WebhookConfig> | undefined);

/**
 * In register(): checks the settings (a bad secret stops the start), writes an outbox row per
 * target with every public change, and keeps the outbox out of GraphQL and read-only in the
 * admin UI (the server alone writes it, through the query layer).
 */
export const registerWebhooks = (strapi: Core.Strapi) => {
  strapi.plugin('graphql').service('extension').shadowCRUD(OUTBOX).disable();
  strapi.documents.use(async (context, next) => {
    if (context.uid === OUTBOX && ['create', 'update', 'clone', 'publish', 'unpublish', 'discardDraft'].includes(context.action)) {
      throw new errors.ValidationError('Webhook deliveries are written by the server alone: they can be read (and deleted), not edited.');
    }
    return next();
  });
  const settings = settingsOf(strapi);
  if (settings) keep(strapi, inPublicWriteTransaction(outboxWriter(strapi, settings.targets)));
};

/** In bootstrap(): sends what is pending (from before a restart too), then polls and follows each change. */
export const startWebhookDelivery = (strapi: Core.Strapi) => {
  const settings = settingsOf(strapi);
  if (!settings) return;
  const dispatcher = new WebhookDispatcher(strapi, settings);
  dispatchers.set(strapi, dispatcher);
  keep(strapi, onPublicChange(() => dispatcher.kick()));
  dispatcher.start();
};

/** In destroy(): no new attempt; those under way are given back to the outbox. */
export const stopWebhookDelivery = async (strapi: Core.Strapi) => {
  for (const unsubscribe of subscriptions.get(strapi) ?? []) unsubscribe();
  subscriptions.delete(strapi);
  await dispatchers.get(strapi)?.stop();
  dispatchers.delete(strapi);
};
