/** The content-API action a token or role must be granted to read drafts (see routes/preview.ts). */
export const PREVIEW_ACTION = 'api::workshop.preview.draft';

type Auth = {
  strategy?: { name?: string };
  credentials?: { type?: string } | null;
  ability?: { can(action: string): boolean } | null;
};

/**
 * Whether a request may read drafts: full-access API tokens, and custom tokens or roles granted
 * PREVIEW_ACTION. Anonymous clients and read-only tokens never may.
 */
export const mayPreview = (auth: Auth | undefined): boolean => {
  if (!auth) return false;
  if (auth.strategy?.name === 'content-api-token' && auth.credentials?.type === 'full-access') return true;
  return Boolean(auth.ability?.can(PREVIEW_ACTION));
};
