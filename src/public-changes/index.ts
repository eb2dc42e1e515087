import type { Core } from '@strapi/strapi';
import { registerPublicChanges } from './changes';
import { registerShownRecording } from './shown';

export { awaitPublicChanges, inPublicWriteTransaction, onPublicChange, type PublicChange, type PublicWrite, type PublicWriteHook } from './changes';
export { recordShown, recordTreeRows } from './shown';

/** What public answers show (recorded per request) and what each write changes for them. */
export const registerPublicChangeTracking = (strapi: Core.Strapi) => {
  registerShownRecording(strapi);
  registerPublicChanges(strapi);
};
