import type { Core } from '@strapi/strapi';
import { getIntrospectionQuery, buildClientSchema, printSchema } from 'graphql';
import request from 'supertest';

/** Strapi's metadata of one content type or component, as plain data the generators walk. */
export interface Attribute {
  type: string;
  relation?: string;
  target?: string;
  component?: string;
  repeatable?: boolean;
  multiple?: boolean;
  private?: boolean;
  enum?: string[];
  /** Set on both sides of a two-way relation (series.workshops is the inverse of workshop.series). */
  twoWay?: boolean;
}
export interface Schema {
  uid: string;
  kind?: string;
  singularName?: string;
  pluralName?: string;
  draftAndPublish?: boolean;
  attributes: Record<string, Attribute>;
}

/** Everything the request generators need, read from the base database's server. */
export interface Model {
  contentTypes: Record<string, Schema>;
  components: Record<string, Schema>;
  /** GET routes of the content API (REST), as Strapi's router lists them. */
  routes: string[];
  /** The public GraphQL schema, as introspection shows it (SDL). */
  graphqlSchema: string;
  /** Values the base database holds: what public clients may legitimately probe for. */
  pool: { strings: string[]; documentIds: string[]; slugs: string[]; ids: number[]; dates: string[] };
}

const plain = (uid: string, schema: any): Schema => ({
  uid,
  kind: schema.kind,
  singularName: schema.info?.singularName,
  pluralName: schema.info?.pluralName,
  draftAndPublish: schema.options?.draftAndPublish,
  attributes: Object.fromEntries(
    Object.entries<any>(schema.attributes).map(([name, a]) => [
      name,
      {
        type: a.type,
        ...(a.relation ? { relation: a.relation } : {}),
        ...(a.type === 'media' ? { target: 'plugin::upload.file', multiple: Boolean(a.multiple) } : a.target ? { target: a.target } : {}),
        ...(a.component ? { component: a.component, repeatable: Boolean(a.repeatable) } : {}),
        ...(a.private ? { private: true } : {}),
        ...(a.enum ? { enum: a.enum } : {}),
        ...(a.mappedBy || a.inversedBy ? { twoWay: true } : {}),
      },
    ])
  ),
});

const TEXT_TYPES = new Set(['string', 'text', 'uid', 'email', 'enumeration', 'richtext']);

/** Reads the model, the routes, the GraphQL schema and the public values of a running Strapi. */
export const describeModel = async (strapi: Core.Strapi): Promise<Model> => {
  const contentTypes = Object.fromEntries(Object.entries(strapi.contentTypes).map(([uid, schema]) => [uid, plain(uid, schema)]));
  const components = Object.fromEntries(Object.entries(strapi.components).map(([uid, schema]) => [uid, plain(uid, schema)]));
  const routes = [
    ...new Set(
      (strapi.server as unknown as { listRoutes(): Array<{ path: string; methods: string[] }> })
        .listRoutes()
        .filter((layer) => layer.path.startsWith('/api/') && layer.methods.includes('GET'))
        .map((layer) => layer.path)
    ),
  ];
  const introspection = await request(strapi.server.httpServer).post('/graphql').send({ query: getIntrospectionQuery() });
  if (introspection.body.errors) throw new Error(`Introspection failed: ${JSON.stringify(introspection.body.errors)}`);
  const graphqlSchema = printSchema(buildClientSchema(introspection.body.data));

  const strings = new Set<string>();
  const documentIds = new Set<string>();
  const slugs = new Set<string>();
  const ids = new Set<number>();
  const dates = new Set<string>();
  for (const uid of Object.keys(contentTypes).filter((uid) => uid.startsWith('api::'))) {
    const rows: Array<Record<string, unknown>> = await strapi.db.query(uid as never).findMany({});
    for (const row of rows) {
      if (typeof row.documentId === 'string') documentIds.add(row.documentId);
      if (typeof row.id === 'number') ids.add(row.id);
      for (const [name, attribute] of Object.entries(contentTypes[uid].attributes)) {
        const value = row[name];
        if (typeof value !== 'string' || attribute.private) continue;
        if (attribute.type === 'uid') slugs.add(value);
        if (TEXT_TYPES.has(attribute.type)) strings.add(value.length > 80 ? value.slice(0, 80) : value);
        // Dates only: timestamps (createdAt...) differ from run to run, and FUZZ_SEED must replay a run.
        if (attribute.type === 'date') dates.add(value);
      }
    }
  }
  return {
    contentTypes,
    components,
    routes,
    graphqlSchema,
    pool: { strings: [...strings].sort(), documentIds: [...documentIds].sort(), slugs: [...slugs].sort(), ids: [...ids].sort((a, b) => a - b), dates: [...dates].sort() },
  };
};
