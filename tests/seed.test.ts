import { startStrapi, type TestApp } from './helpers/strapi';
import { FIRST_WORKSHOP, creditsOf } from './fixtures/first-workshop';

describe('the first workshop, seeded on the first start of an empty database', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startStrapi();
  });
  afterAll(() => app?.stop());

  it('lists organizers and speakers through GraphQL exactly as the announcement prints them', async () => {
    const res = await app.graphql(`{
      workshops {
        title
        organizers { person { name } affiliation { name } }
        speakers { person { name } affiliation { name } }
      }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.workshops).toHaveLength(1);
    const [workshop] = res.body.data.workshops;
    expect(workshop.title).toBe(FIRST_WORKSHOP.title);
    expect(creditsOf(workshop.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    expect(creditsOf(workshop.speakers)).toEqual(FIRST_WORKSHOP.speakers);
  });

  it('counts 15 people, 13 organizations, 1 sponsor and 1 series through GraphQL', async () => {
    const res = await app.graphql(`{
      people_connection { pageInfo { total } }
      organizations_connection { pageInfo { total } }
      sponsors_connection { pageInfo { total } }
      workshopSeriesList_connection { pageInfo { total } }
    }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.people_connection.pageInfo.total).toBe(15);
    expect(res.body.data.organizations_connection.pageInfo.total).toBe(13);
    expect(res.body.data.sponsors_connection.pageInfo.total).toBe(1);
    expect(res.body.data.workshopSeriesList_connection.pageInfo.total).toBe(1);
  });

  it('serves the whole workshop through REST, published, with every part of the announcement', async () => {
    const res = await app
      .http()
      .get('/api/workshops')
      .query({
        filters: { slug: FIRST_WORKSHOP.slug },
        populate: {
          organizers: { populate: ['person', 'affiliation'] },
          speakers: { populate: ['person', 'affiliation'] },
          series: { populate: ['sponsor'] },
          sponsors: true,
          posterSession: true,
        },
      });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    const [workshop] = res.body.data;
    expect(workshop).toMatchObject({ title: FIRST_WORKSHOP.title, startDate: '2023-01-23', endDate: '2023-01-27' });
    expect(workshop.publishedAt).toBeTruthy();
    expect(creditsOf(workshop.organizers)).toEqual(FIRST_WORKSHOP.organizers);
    expect(creditsOf(workshop.speakers)).toEqual(FIRST_WORKSHOP.speakers);
    expect(workshop.overview.map((block: { children: Array<{ text: string }> }) => block.children[0].text)).toEqual(
      FIRST_WORKSHOP.overviewFirstWords.map((words) => expect.stringMatching(new RegExp(`^${words}`)))
    );
    expect(workshop.overview).toHaveLength(4);
    expect(workshop.participation[0].children[0].text).toMatch(/^Additional information about this workshop/);
    expect(workshop.posterSession).toMatchObject({ enabled: true, details: expect.stringMatching(/request for posters/) });
    expect(workshop.series).toMatchObject({ name: FIRST_WORKSHOP.series, acknowledgement: FIRST_WORKSHOP.acknowledgement });
    expect(workshop.series.sponsor).toMatchObject(FIRST_WORKSHOP.sponsor);
    expect(workshop.sponsors).toEqual([expect.objectContaining(FIRST_WORKSHOP.sponsor)]);
  });

  it('holds the institute and its diversity statement', async () => {
    const res = await app.http().get('/api/institute');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ shortName: 'IPAM', diversityStatement: FIRST_WORKSHOP.diversityStatement });
  });

  it('gives every person a slug and a family name to sort by', async () => {
    const res = await app.http().get('/api/people').query({ sort: 'familyName:asc', pagination: { pageSize: 100 } });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.data.map((p: { name: string }) => [p.name, p]));
    expect(byName['Anatole von Lilienfeld']).toMatchObject({ familyName: 'von Lilienfeld', slug: 'anatole-von-lilienfeld' });
    expect(byName['Klaus-Robert Müller']).toMatchObject({ familyName: 'Müller', slug: 'klaus-robert-mueller' });
    expect(res.body.data[0].name).toBe('Mohammed AlQuraishi');
  });
});
