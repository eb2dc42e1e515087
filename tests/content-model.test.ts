import fs from 'fs';
import path from 'path';
import { DEFAULT_TIMEZONE } from '../src/workshops/timezone';

const SRC = path.join(__dirname, '..', 'src');
const schemas = [
  ...fs.readdirSync(path.join(SRC, 'api')).map((type) => path.join(SRC, 'api', type, 'content-types', type, 'schema.json')),
  ...fs.readdirSync(path.join(SRC, 'components', 'workshop')).map((file) => path.join(SRC, 'components', 'workshop', file)),
].map((file) => ({ file: path.relative(SRC, file), schema: JSON.parse(fs.readFileSync(file, 'utf8')) }));

describe('the content model', () => {
  it('has the types and components of DESIGN.md', () => {
    expect(schemas.map(({ file }) => file).sort()).toEqual([
      'api/institute/content-types/institute/schema.json',
      'api/organization/content-types/organization/schema.json',
      'api/person/content-types/person/schema.json',
      'api/sponsor/content-types/sponsor/schema.json',
      // Not content: the webhook outbox, a read-only delivery log (docs/webhooks.md).
      'api/webhook-delivery/content-types/webhook-delivery/schema.json',
      'api/workshop-series/content-types/workshop-series/schema.json',
      'api/workshop/content-types/workshop/schema.json',
      'components/workshop/participant.json',
      'components/workshop/poster-session.json',
      'components/workshop/talk.json',
      'components/workshop/venue.json',
    ]);
  });

  it.each(schemas.map(({ file, schema }) => [file, schema]))('%s describes every field for staff', (_file, schema) => {
    const undescribed = Object.entries(schema.attributes as Record<string, { description?: string }>)
      .filter(([, attribute]) => !attribute.description || attribute.description.length < 10)
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
  });

  it("offers the one default time zone of the code as the Institute's", () => {
    const institute = schemas.find(({ file }) => file.includes('institute/schema.json'))!.schema;
    expect(institute.attributes.timezone.default).toBe(DEFAULT_TIMEZONE);
  });

  it('keeps email and notes private', () => {
    const person = schemas.find(({ file }) => file.includes('person/schema.json'))!.schema;
    expect(person.attributes.email.private).toBe(true);
    expect(person.attributes.notes.private).toBe(true);
  });

  it('publishes workshops through draft & publish, and only workshops', () => {
    const withDraftAndPublish = schemas.filter(({ schema }) => schema.options?.draftAndPublish).map(({ file }) => file);
    expect(withDraftAndPublish).toEqual(['api/workshop/content-types/workshop/schema.json']);
  });
});
