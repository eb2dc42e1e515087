import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import { startStrapi, type TestApp } from '../helpers/strapi';
import { importWorkshopText } from '../helpers/workshop-text';
import { FIRST_WORKSHOP } from '../fixtures/first-workshop';

/**
 * The response cache never serves an answer older than the content: a generated sequence of
 * writes (draft saves, publishes, unpublishes, published edits, deletes, renames of people,
 * organizations and sponsors, series and Institute edits), and after each, every contract
 * operation asked twice: as a front end sends it (served from the cache when it is still valid)
 * and with a comment no other request carries (a key never seen: executed afresh). The two must
 * be the same. CACHE_SEED replays a sequence (the seed is printed); CACHE_STEPS sets its length.
 */
const SEED = Number(process.env.CACHE_SEED ?? Date.now() % 2 ** 31);
const STEPS = Number(process.env.CACHE_STEPS ?? 40);

const contract = (name: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'graphql', 'contract', `${name}.graphql`), 'utf8');
const WORKSHOP = 'api::workshop.workshop';

const SECOND = `title: Sums of Squares in Optimization
startDate: 2031-03-03
endDate: 2031-03-07
speakers:
  - Amir Ali Ahmadi (Princeton University)
`;
/** A draft whose speaker and organization nothing published shows: public once it is published. */
const DRAFT = `title: Quantum Error Correction Beyond Surface Codes
startDate: 2032-05-10
endDate: 2032-05-14
series: Julian Schwinger Workshop on Multiscale Physics
speakers:
  - Noor Embargo (Institute of Unannounced Results)
  - Tess Smidt (MIT)
`;

type Action =
  | { kind: 'draftSave' | 'publish' | 'unpublish' | 'publishedEdit' | 'delete'; workshop: number }
  | { kind: 'renamePerson'; person: number }
  | { kind: 'renameOrganization' | 'renameSponsor' | 'editSeries' | 'editInstitute' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('draftSave' as const), workshop: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('publish' as const), workshop: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unpublish' as const), workshop: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('publishedEdit' as const), workshop: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), workshop: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('renamePerson' as const), person: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constantFrom<Action>({ kind: 'renameOrganization' }, { kind: 'renameSponsor' }, { kind: 'editSeries' }, { kind: 'editInstitute' })
  }
);

describe('the response cache against a fresh execution, over generated writes', () => {
  let app: TestApp;
  const workshopIds: string[] = [];
  const people: Array<{ documentId: string; slug: string }> = [];
  const history: string[] = [];
  let hits = 0;
  let nonce = 0;

  beforeAll(async () => {
    delete process.env.REDIS_URL;
    app = await startStrapi({ RESPONSE_CACHE: 'true', RATE_LIMIT_ENABLED: 'false' });
    await importWorkshopText(app.strapi, SECOND, { publish: true });
    await importWorkshopText(app.strapi, DRAFT);
    const workshops = await app.strapi.documents(WORKSHOP).findMany({ fields: ['documentId', 'slug'], sort: 'startDate:asc' });
    workshopIds.push(...workshops.map((w) => w.documentId));
    for (const name of ['Tess Smidt', 'Noor Embargo', 'Amir Ali Ahmadi']) {
      const person = await app.strapi.documents('api::person.person').findFirst({ filters: { name } });
      people.push({ documentId: person!.documentId, slug: person!.slug as string });
    }
    console.log(`Cache consistency: CACHE_SEED=${SEED} CACHE_STEPS=${STEPS}`);
  });
  afterAll(() => app?.stop());

  /** Every contract operation, with variables reaching each workshop, person and the series. */
  const probes = () => {
    const slugs = [FIRST_WORKSHOP.slug, 'sums-of-squares-in-optimization', 'quantum-error-correction-beyond-surface-codes'];
    return [
      ...slugs.map((slug) => ({ query: contract('workshop-page'), variables: { slug } })),
      { query: contract('workshop-list'), variables: {} },
      { query: contract('workshop-list'), variables: { filters: { series: { slug: { eq: 'julian-schwinger-workshop-on-multiscale-physics' } } } } },
      ...people.map(({ slug }) => ({ query: contract('person-page'), variables: { slug } })),
      { query: contract('series-page'), variables: { slug: 'julian-schwinger-workshop-on-multiscale-physics' } },
      { query: contract('institute'), variables: {} },
    ];
  };

  const ask = (query: string, variables: object) => app.http().post('/graphql').send({ query, variables });

  /** Each probe as sent, and afresh: the same answer, or a message that says what differs. */
  const compare = async (when: string) => {
    for (const { query, variables } of probes()) {
      const cached = await ask(query, variables);
      nonce += 1;
      const fresh = await ask(`${query}\n# fresh ${nonce}`, variables);
      expect(cached.status).toBe(200);
      expect(fresh.headers['x-cache']).toBe('MISS');
      if (cached.headers['x-cache'] === 'HIT') hits += 1;
      if (JSON.stringify(cached.body) !== JSON.stringify(fresh.body)) {
        throw new Error(
          `Stale answer (${cached.headers['x-cache']}) ${when} for ${query.split('\n').find((l) => l.startsWith('query'))} ${JSON.stringify(variables)}\n` +
            `cached: ${JSON.stringify(cached.body).slice(0, 800)}\nfresh:  ${JSON.stringify(fresh.body).slice(0, 800)}\n` +
            `replay: CACHE_SEED=${SEED} CACHE_STEPS=${STEPS}; steps:\n${history.join('\n')}`
        );
      }
    }
  };

  const documentIdOf = async (uid: 'api::sponsor.sponsor' | 'api::workshop-series.workshop-series' | 'api::institute.institute') =>
    (await app.strapi.documents(uid).findFirst({ fields: ['documentId'] }))!.documentId;

  const perform = async (step: Action, n: number) => {
    const workshops = app.strapi.documents(WORKSHOP);
    switch (step.kind) {
      case 'draftSave':
        return workshops.update({ documentId: workshopIds[step.workshop], data: { summary: `Draft summary ${n}` } as never, status: 'draft' });
      case 'publish':
        return workshops.publish({ documentId: workshopIds[step.workshop] });
      case 'unpublish':
        return workshops.unpublish({ documentId: workshopIds[step.workshop] });
      case 'publishedEdit':
        return workshops.update({ documentId: workshopIds[step.workshop], data: { summary: `Published summary ${n}` } as never, status: 'published' });
      case 'delete':
        return workshops.delete({ documentId: workshopIds[step.workshop] });
      case 'renamePerson':
        return app.strapi.documents('api::person.person').update({ documentId: people[step.person].documentId, data: { name: `Renamed ${n}` } as never });
      case 'renameOrganization': {
        const mit = await app.strapi.documents('api::organization.organization').findFirst({ filters: { name: { $startsWith: 'MIT' } } });
        return app.strapi.documents('api::organization.organization').update({ documentId: mit!.documentId, data: { name: `MIT ${n}` } as never });
      }
      case 'renameSponsor':
        return app.strapi.documents('api::sponsor.sponsor').update({ documentId: await documentIdOf('api::sponsor.sponsor'), data: { name: `Foundation ${n}` } as never });
      case 'editSeries':
        return app.strapi.documents('api::workshop-series.workshop-series').update({
          documentId: await documentIdOf('api::workshop-series.workshop-series'),
          data: { acknowledgement: `Acknowledgement ${n}` } as never,
        });
      case 'editInstitute':
        return app.strapi.documents('api::institute.institute').update({ documentId: await documentIdOf('api::institute.institute'), data: { name: `Institute ${n}` } as never });
    }
  };

  it('serves no stale answer after any write, and serves from the cache where nothing changed', async () => {
    await compare('before any write');
    await compare('before any write, warm');
    const steps = fc.sample(action, { seed: SEED, numRuns: STEPS });
    for (const [n, step] of steps.entries()) {
      history.push(`${n + 1}. ${JSON.stringify(step)}`);
      // A write the rules refuse (publishing a deleted workshop, say) changes nothing: still compared.
      await perform(step, n + 1).catch((error: Error) => history.push(`   refused: ${error.message.slice(0, 120)}`));
      await compare(`after step ${n + 1}`);
    }
    // Not a comparison of two fresh executions: the cache answered many of the probes.
    expect(hits).toBeGreaterThan(probes().length * STEPS * 0.2);
    console.log(`Cache consistency: ${hits} of ${probes().length * (STEPS + 2)} probes served from the cache, none stale.`);
  }, 600000);
});
