import fs from 'fs';
import path from 'path';
import { buildClientSchema, getIntrospectionQuery, Kind, parse, print, printSchema, validate, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { startStrapi, type TestApp } from '../helpers/strapi';

const DOCS = path.join(__dirname, '..', '..', 'docs', 'graphql');
const SCHEMA_FILE = path.join(DOCS, 'schema.graphql');
const CONTRACT = path.join(DOCS, 'contract');
const SHARED_CONTRACT = path.join(__dirname, '..', '..', '..', 'shared', 'contract');
const contractFiles = fs.readdirSync(CONTRACT).filter((file) => file.endsWith('.graphql'));

/** Every field an operation selects, as paths (`workshopBySlug.speakers.person.name`), fragments spread out, with its arguments. */
const fieldPaths = (document: DocumentNode): Set<string> => {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [])));
  const paths = new Set<string>();
  const walk = ({ selections }: SelectionSetNode, at: string) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const args = selection.arguments?.length ? `(${selection.arguments.map(print).join(', ')})` : '';
        const here = `${at}${at ? '.' : ''}${selection.alias ? `${selection.alias.value}:` : ''}${selection.name.value}${args}`;
        paths.add(here);
        if (selection.selectionSet) walk(selection.selectionSet, here);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, at);
      else walk(fragments.get(selection.name.value)!.selectionSet, at);
    }
  };
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) walk(definition.selectionSet, '');
  return paths;
};
const operationHeads = (document: DocumentNode) =>
  document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION ? [`${definition.operation} ${definition.name?.value} (${(definition.variableDefinitions ?? []).map(print).join(', ')})`] : []
  );

/**
 * The public schema cannot change by accident: it must equal the committed
 * docs/graphql/schema.graphql. After an intended change, `npm run graphql:schema` rewrites that
 * file; its diff is then reviewed like code. Every contract operation must validate against it.
 */
describe('the public GraphQL schema', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let sdl: string;
  beforeAll(async () => {
    app = await startStrapi();
    const res = await app.graphql(getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
    schema = buildClientSchema(res.body.data);
    sdl = `${printSchema(schema)}\n`;
    if (process.env.UPDATE_GRAPHQL_SCHEMA === '1') fs.writeFileSync(SCHEMA_FILE, sdl);
  });
  afterAll(() => app?.stop());

  it('is exactly the committed docs/graphql/schema.graphql (after an intended change: npm run graphql:schema)', () => {
    expect(sdl).toBe(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it.each(contractFiles)('answers the contract operation %s without a validation error', (file) => {
    const errors = validate(schema, parse(fs.readFileSync(path.join(CONTRACT, file), 'utf8')));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  // The front ends' base operations stay answered as they are; ours may ask more (photos, logos), never less.
  it('keeps every operation of the shared contract in docs/graphql/contract/, each field of it still asked, with the same variables', () => {
    if (!fs.existsSync(SHARED_CONTRACT)) return;
    const shared = fs.readdirSync(SHARED_CONTRACT).filter((file) => file.endsWith('.graphql')).sort();
    expect(contractFiles.sort()).toEqual(shared);
    for (const file of shared) {
      const base = parse(fs.readFileSync(path.join(SHARED_CONTRACT, file), 'utf8'));
      const ours = parse(fs.readFileSync(path.join(CONTRACT, file), 'utf8'));
      expect(validate(schema, base).map((error) => error.message)).toEqual([]);
      expect(operationHeads(ours)).toEqual(operationHeads(base));
      const asked = fieldPaths(ours);
      expect({ file, missing: [...fieldPaths(base)].filter((field) => !asked.has(field)) }).toEqual({ file, missing: [] });
    }
  });
});
