import { MAX_DOCUMENT_KEYS, ShownKeys } from '../../src/public-changes/keys';

const LIST_KEYS: Record<string, string> = { 'api::workshop.workshop': 'workshops', 'api::person.person': 'people' };

/** The keys an answer carries stay bounded: past MAX_DOCUMENT_KEYS, the most numerous types are named by their list key. */
describe('surrogate keys of an answer', () => {
  it('names a list of 1,000 workshops `workshops`, keeping the documents of types that fit', () => {
    const shown = new ShownKeys((uid) => LIST_KEYS[uid]);
    for (let i = 0; i < 1000; i += 1) shown.document('api::workshop.workshop', `workshop${String(i).padStart(16, '0')}`);
    shown.document('api::person.person', 'person-document-id-00001');
    shown.list('api::workshop.workshop');
    const keys = shown.keys();
    expect(keys).toEqual(['workshops', 'person-document-id-00001']);
    expect(keys.join(' ').length).toBeLessThan(100);
  });

  it('keeps every document key up to the bound', () => {
    const shown = new ShownKeys((uid) => LIST_KEYS[uid]);
    for (let i = 0; i < MAX_DOCUMENT_KEYS; i += 1) shown.document('api::person.person', `p${i}`);
    expect(shown.keys()).toHaveLength(MAX_DOCUMENT_KEYS);
    shown.document('api::person.person', 'one-more');
    expect(shown.keys()).toEqual(['people']);
  });
});
