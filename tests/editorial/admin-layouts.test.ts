import { startStrapi, type TestApp } from '../helpers/strapi';
import { applyContentManagerLayouts } from '../../src/admin-ui/content-manager-layouts';
import personSchema from '../../src/api/person/content-types/person/schema.json';

/** The content manager shows staff what they scan and edit, in plain words, set from code. */
describe('admin UI layouts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi({ FRONTEND_URL: 'https://site.example.org', PREVIEW_SECRET: 'preview-secret' });
  });
  afterAll(() => app?.stop());

  const configurationOf = (uid: string) =>
    app.strapi.plugin('content-manager').service(uid.includes('::') ? 'content-types' : 'components').findConfiguration({ uid });

  it('lists workshops by title, dates and series, newest first', async () => {
    const { settings, layouts, metadatas } = await configurationOf('api::workshop.workshop');
    expect(layouts.list).toEqual(['title', 'startDate', 'endDate', 'series']);
    expect(settings).toMatchObject({ mainField: 'title', defaultSortBy: 'startDate', defaultSortOrder: 'DESC' });
    expect(metadatas.startDate.list.label).toBe('First day');
  });

  it('groups the workshop edit view as a page reads: basics, texts, people, schedule, links', async () => {
    const { layouts } = await configurationOf('api::workshop.workshop');
    const order = layouts.edit.flat().map((field: { name: string }) => field.name);
    expect(order.slice(0, 7)).toEqual(['title', 'slug', 'startDate', 'endDate', 'timezone', 'series', 'summary']);
    expect(order.at(-1)).toBe('slugAliases');
    expect(order.indexOf('overview')).toBeLessThan(order.indexOf('organizers'));
    expect(order.indexOf('speakers')).toBeLessThan(order.indexOf('talks'));
    expect(order.indexOf('talks')).toBeLessThan(order.indexOf('registrationUrl'));
    expect(order).toHaveLength(19);
  });

  it('lists people by name and current affiliation, sorted by family name, with descriptions under each field', async () => {
    const { settings, layouts, metadatas } = await configurationOf('api::person.person');
    expect(layouts.list).toEqual(['name', 'affiliation']);
    expect(settings).toMatchObject({ mainField: 'name', defaultSortBy: 'familyName', defaultSortOrder: 'ASC' });
    expect(metadatas.affiliation.edit.label).toBe('Current affiliation');
    expect(metadatas.familyName.edit.description).toBe(personSchema.attributes.familyName.description);
  });

  it('titles schedule entries by the talk title', async () => {
    expect((await configurationOf('workshop.talk')).settings.mainField).toBe('title');
  });

  it('titles organizer and speaker rows by their label as printed, which staff see but cannot type', async () => {
    const { settings, metadatas } = await configurationOf('workshop.participant');
    expect(settings.mainField).toBe('label');
    expect(metadatas.label.edit).toMatchObject({ label: 'Printed as', editable: false });
  });

  it('is idempotent: applying again changes nothing', async () => {
    const stored = () =>
      app.strapi.db.query('strapi::core-store').findMany({ where: { key: { $startsWith: 'plugin_content_manager_configuration' } }, orderBy: 'key' });
    const before = await stored();
    await applyContentManagerLayouts(app.strapi);
    expect(await stored()).toEqual(before);
  });

  it('points the preview of a workshop at the front end, and of nothing else', async () => {
    const preview = app.strapi.config.get('admin.preview') as { enabled: boolean; config: { allowedOrigins: string[]; handler: Function } };
    expect(preview.enabled).toBe(true);
    expect(preview.config.allowedOrigins).toEqual(['https://site.example.org']);
    const { documentId } = (await app.strapi.documents('api::workshop.workshop').findFirst({}))!;
    expect(await preview.config.handler('api::workshop.workshop', { documentId, status: 'draft' })).toBe(
      'https://site.example.org/api/preview?slug=learning-and-emergence-in-molecular-systems&status=draft&secret=preview-secret'
    );
    expect(await preview.config.handler('api::person.person', { documentId, status: 'draft' })).toBeNull();
  });
});
