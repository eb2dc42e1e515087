// Fills an empty database with bench/dataset.js through Strapi's Document Service, as the
// admin UI and `npm run workshops:import` would: one document per organization, person,
// sponsor and series, and each workshop created and published (a draft row and a published row,
// their components linked through workshops_cmps). Batches of documents share one transaction.
const WORKSHOP = 'api::workshop.workshop';

const inBatches = async (strapi, items, size, write, onBatch) => {
  for (let from = 0; from < items.length; from += size) {
    const batch = items.slice(from, from + size);
    await strapi.db.transaction(async () => {
      for (const [offset, item] of batch.entries()) await write(item, from + offset);
    });
    onBatch?.(Math.min(from + size, items.length));
  }
};

/**
 * Writes `dataset` into the database `strapi` is loaded on. `onProgress(stage, done, total)` is
 * called after every batch.
 */
const writeDataset = async (strapi, dataset, { batchSize = 50, onProgress = () => {} } = {}) => {
  const ids = { organizations: [], people: [], sponsors: [], series: [] };
  const create = (uid, data) => strapi.documents(uid).create({ data }).then((doc) => doc.documentId);
  const stage = async (name, uid, items, toData) => {
    await inBatches(strapi, items, batchSize * 10, async (item, index) => {
      ids[name][index] = await create(uid, toData(item));
    }, (done) => onProgress(name, done, items.length));
  };
  const orDocument = (list, index) => (index === null || index === undefined ? null : list[index]);

  await stage('organizations', 'api::organization.organization', dataset.organizations, (org) => org);
  await stage('people', 'api::person.person', dataset.people, (person) => ({
    ...person,
    affiliation: orDocument(ids.organizations, person.affiliation),
  }));
  await stage('sponsors', 'api::sponsor.sponsor', dataset.sponsors, (sponsor) => sponsor);
  await stage('series', 'api::workshop-series.workshop-series', dataset.series, (series) => ({
    ...series,
    sponsor: orDocument(ids.sponsors, series.sponsor),
  }));

  const credit = ({ person, affiliation }) => ({ person: ids.people[person], affiliation: orDocument(ids.organizations, affiliation) });
  await inBatches(strapi, dataset.workshops, batchSize, async (workshop) => {
    const data = {
      ...workshop,
      series: orDocument(ids.series, workshop.series),
      sponsors: workshop.sponsors.map((index) => ids.sponsors[index]),
      organizers: workshop.organizers.map(credit),
      speakers: workshop.speakers.map(credit),
      talks: workshop.talks.map((talk) => ({ ...talk, speakers: talk.speakers.map((index) => ids.people[index]) })),
    };
    const { documentId } = await strapi.documents(WORKSHOP).create({ data });
    await strapi.documents(WORKSHOP).publish({ documentId });
  }, (done) => onProgress('workshops', done, dataset.workshops.length));
};

module.exports = { writeDataset };
