type Auth = {
  strategy?: { name?: string };
  credentials?: { type?: string } | null;
};

/**
 * Anonymous clients (users-permissions' Public role, no credentials) and read-only API tokens:
 * the clients that read published content. Strapi lets a read-only token call every content-API
 * action whose name ends in find or findOne, the media library and users-permissions' users and
 * roles included; those are refused to them (src/policies/refuse-public-readers.ts).
 */
export const isPublicReader = (auth: Auth | undefined): boolean =>
  !auth?.credentials || (auth.strategy?.name === 'content-api-token' && auth.credentials.type === 'read-only');

/** The global policy that refuses public readers, with what to tell them. */
export const refusePublicReaders = (refusal: string) => ({ name: 'global::refuse-public-readers', config: { refusal } });

export const REFUSALS = {
  media:
    'The media library is not open to anonymous clients or read-only API tokens. A published document shows its files ' +
    'in its own fields (Person.photo, Sponsor.logo); the library needs a full-access API token.',
  usersPermissions:
    'End-user accounts, roles and permissions are not open to anonymous clients or read-only API tokens; they need a ' +
    'full-access API token (or the admin UI).',
  reviewWorkflows: 'Review workflows are editorial data, not open to anonymous clients or read-only API tokens.',
};

type Route = { handler: string; config?: { policies?: unknown[] } & Record<string, unknown> };

/** Adds refusePublicReaders(refusal) to each route, after the policies it has. */
export const refusePublicReadersOn = (routes: Route[], refusal: string) => {
  for (const route of routes) {
    route.config = { ...route.config, policies: [...(route.config?.policies ?? []), refusePublicReaders(refusal)] };
  }
};
