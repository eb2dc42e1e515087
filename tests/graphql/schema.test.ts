import fs from 'fs';
import path from 'path';
import { buildClientSchema, getIntrospectionQuery, parse, printSchema, validate, type GraphQLSchema } from 'graphql';
import { startStrapi, type TestApp } from '../helpers/strapi';

const DOCS = path.join(__dirname, '..', '..', 'docs', 'graphql');
const SCHEMA_FILE = path.join(DOCS, 'schema.graphql');
const CONTRACT = path.join(DOCS, 'contract');
const SHARED_CONTRACT = path.join(__dirname, '..', '..', '..', 'shared', 'contract');
const contractFiles = fs.readdirSync(CONTRACT).filter((file) => file.endsWith('.graphql'));

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

  it('keeps docs/graphql/contract/ a faithful copy of the shared contract', () => {
    if (!fs.existsSync(SHARED_CONTRACT)) return;
    const shared = fs.readdirSync(SHARED_CONTRACT).filter((file) => file.endsWith('.graphql')).sort();
    expect(contractFiles.sort()).toEqual(shared);
    for (const file of shared) {
      expect(fs.readFileSync(path.join(CONTRACT, file), 'utf8')).toBe(fs.readFileSync(path.join(SHARED_CONTRACT, file), 'utf8'));
    }
  });
});
