import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { importWorkshopFile } from '../../../src/workshop-files/seed';

/**
 * What the differential fuzzer puts in its databases. The base (both databases) is the project's
 * own seed plus a second published workshop in the same series, so that filters have something
 * to tell apart. The fixtures (only in the fixture database) are everything a public client must
 * never learn of; every text in them contains the marker `core`, so that an answer quoting any of
 * them is recognised whatever field it came from.
 */

const SERIES = 'Julian Schwinger Workshop on Multiscale Physics';
const PUBLIC_SPONSOR = 'Julian Schwinger Foundation for Physics Research (JSF)';
/** A person of the seeded workshop, named exactly as there, so that the import changes nothing of theirs. */
const PUBLIC_SPEAKER = 'Tess Smidt (MIT)';
const SEEDED_SLUG = 'learning-and-emergence-in-molecular-systems';

const SECOND_WORKSHOP = `
title: Symmetry and Geometry in Neural Representations of Matter
startDate: 2024-02-05
endDate: 2024-02-09
timezone: America/Los_Angeles
summary: How equivariant networks learn the structure of molecules and materials.
overview: |
  Equivariant neural networks encode the symmetries of physical systems.

  This workshop brings together chemists, physicists and computer scientists.
series: ${SERIES}
sponsors: [${PUBLIC_SPONSOR}]
organizers:
  - Tess Smidt (MIT)
  - Frank Noe (FU Berlin)
speakers:
  - Tess Smidt (MIT)
  - Rafael Gomez-Bombarelli (MIT)
  - Ada Quantrell (University of Cambridge)
talks:
  - title: Equivariance from first principles
    abstract: Group representations and what networks can learn from them.
    startsAt: 2024-02-05T09:00
    endsAt: 2024-02-05T10:00
    speakers: [Tess Smidt (MIT)]
  - title: Coffee break
    kind: break
    startsAt: 2024-02-05T10:00
    endsAt: 2024-02-05T10:30
`;

/** Seeds a fixed list of markers from the fuzz seed: the requests probe for them before they exist. */
export const markersFor = (seed: number) => {
  let state = seed >>> 0 || 1;
  const letter = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return 'bcdfghjkmnpqrstvwxz'[state % 19];
  };
  const core = `zq${Array.from({ length: 6 }, letter).join('')}`;
  const cap = core[0].toUpperCase() + core.slice(1);
  const slugOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const texts = {
    draftTitle: `${cap} Hidden Manifolds Workshop`,
    draftSummary: `${cap} summary of an unannounced workshop`,
    draftOverview: `${cap} overview paragraph`,
    draftParticipation: `${cap} participation paragraph`,
    posterDetails: `${cap} poster details`,
    venueName: `${cap} Secret Hall`,
    talkTitle: `${cap} Opening Talk`,
    talkAbstract: `${cap} abstract of the opening talk`,
    organizer: `Orla ${cap}`,
    speaker: `Silas ${cap}`,
    talkSpeaker: `Tamsin ${cap}`,
    otherSpeaker: `Petra ${cap}`,
    extraSpeaker: `Ezra ${cap}`,
    organization: `${cap} Institute of Secrets`,
    sponsor: `${cap} Foundation`,
    sponsorAcronym: `${core.toUpperCase()}F`,
    series: `${cap} Series on Hidden Things`,
    seriesDescription: `${cap} series description`,
    seriesAcknowledgement: `${cap} acknowledgement`,
    otherTitle: `${cap} Second Hidden Workshop`,
    renamedTitle: `${cap} Renamed Published Workshop`,
    mediaName: `${cap} Portrait.png`,
    mediaAlternativeText: `${cap} alternative text`,
    mediaCaption: `${cap} caption`,
    username: `${core}user`,
    userEmail: `${core}.user@example.org`,
  };
  /** Fixed documentIds for the fixtures' documents (rewritten after creation), so that requests can name them. */
  const documentIds = Array.from({ length: 12 }, (_, i) => `${core}fixture${String(i).padStart(2, '0')}`.padEnd(24, 'x'));
  return {
    core,
    texts,
    documentIds,
    slugs: [texts.draftTitle, texts.otherTitle, texts.organizer, texts.speaker, texts.sponsor, texts.series, texts.organization].map(slugOf),
    /** A person's private email and notes are these followed by their id (written by addFixtures). */
    privateEmailPrefix: `${core}.private`,
    privateNotePrefix: `${cap} private note`,
  };
};
export type Markers = ReturnType<typeof markersFor>;

const writeTemporary = async <T>(name: string, text: string, work: (file: string) => Promise<T>) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'differential-fuzz-'));
  try {
    fs.writeFileSync(path.join(scratch, name), text);
    return await work(path.join(scratch, name));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
};

/** The base database's own data beyond the seed: a second published workshop in the same series. */
export const addSecondPublishedWorkshop = (strapi: Core.Strapi) =>
  writeTemporary('second.yaml', SECOND_WORKSHOP, (file) => importWorkshopFile(strapi, file, { publish: true }));

export interface FixtureFacts {
  /** Files the upload wrote under public/, to remove afterwards. */
  uploadedFiles: string[];
}

/**
 * Adds the fixtures to the fixture database. Nothing a public client may see changes: no
 * published document is updated through the Document Service (that would change its updatedAt),
 * private values are written with a raw UPDATE, and the draft edit touches only the draft row.
 */
export const addFixtures = async (strapi: Core.Strapi, markers: Markers): Promise<FixtureFacts> => {
  const { texts } = markers;
  const before = await maxIds(strapi);

  // A draft in the public series, with unannounced people, organization and sponsor, and also a
  // public speaker and the public sponsor: from those public documents, relations lead back to it.
  await writeTemporary(
    'draft.yaml',
    `
title: ${texts.draftTitle}
startDate: 2031-03-03
endDate: 2031-03-07
summary: ${texts.draftSummary}
overview: ${texts.draftOverview}
participation: ${texts.draftParticipation}
posterSession:
  enabled: true
  details: ${texts.posterDetails}
venue:
  name: ${texts.venueName}
series: ${SERIES}
sponsors:
  - ${texts.sponsor} (${texts.sponsorAcronym})
  - ${PUBLIC_SPONSOR}
organizers:
  - ${texts.organizer} (${texts.organization})
speakers:
  - ${texts.speaker} (${texts.organization})
  - ${PUBLIC_SPEAKER}
talks:
  - title: ${texts.talkTitle}
    abstract: ${texts.talkAbstract}
    startsAt: 2031-03-03T09:00
    endsAt: 2031-03-03T10:00
    speakers: [${texts.talkSpeaker} (${texts.organization}), ${PUBLIC_SPEAKER}]
`,
    (file) => importWorkshopFile(strapi, file, { publish: false })
  );

  // A draft in a series of its own (which no published workshop shows), funded by the hidden sponsor.
  await writeTemporary(
    'other.yaml',
    `
title: ${texts.otherTitle}
startDate: 2032-05-03
endDate: 2032-05-04
series:
  name: ${texts.series}
  description: ${texts.seriesDescription}
  acknowledgement: ${texts.seriesAcknowledgement}
  sponsor: ${texts.sponsor} (${texts.sponsorAcronym})
speakers:
  - ${texts.otherSpeaker} (${texts.organization})
`,
    (file) => importWorkshopFile(strapi, file, { publish: false })
  );

  // A draft edit of the seeded, published workshop: a new title and an unannounced extra speaker.
  const people = strapi.documents('api::person.person');
  const extra = await people.create({ data: { name: texts.extraSpeaker, slug: `${markers.core}-ezra`, familyName: markers.core, bio: `${texts.extraSpeaker} biography` } as never });
  const workshops = strapi.documents('api::workshop.workshop');
  const seeded = (await workshops.findFirst({ status: 'draft', filters: { slug: SEEDED_SLUG }, populate: { speakers: { populate: ['person', 'affiliation'] } } } as never)) as any;
  const speakers = seeded.speakers.map((s: any) => ({ person: s.person?.documentId, affiliation: s.affiliation?.documentId }));
  await workshops.update({ documentId: seeded.documentId, data: { title: texts.renamedTitle, speakers: [...speakers, { person: extra.documentId }] } as never });

  // A real image with marker texts, as the photo of an unannounced person and the hidden sponsor's logo.
  const uploaded = await writeTemporary(`${markers.core}-portrait.png`, '', async (file) => {
    fs.copyFileSync(path.join(process.cwd(), 'favicon.png'), file);
    const [image] = await strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { name: texts.mediaName, alternativeText: texts.mediaAlternativeText, caption: texts.mediaCaption } },
        files: { filepath: file, originalFilename: path.basename(file), mimetype: 'image/png', size: fs.statSync(file).size },
      });
    return image as { id: number; url: string; formats?: Record<string, { url: string }> | null };
  });
  const speaker = (await people.findFirst({ filters: { name: texts.speaker } }))!;
  await people.update({ documentId: speaker.documentId, data: { photo: uploaded.id } as never });
  const sponsor = (await strapi.documents('api::sponsor.sponsor').findFirst({ filters: { name: texts.sponsor } }))!;
  await strapi.documents('api::sponsor.sponsor').update({ documentId: sponsor.documentId, data: { logo: uploaded.id } as never });

  // An end user of the users-permissions plugin (nobody signs up here, but the table exists).
  const authenticated = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  await strapi.plugin('users-permissions').service('user').add({
    username: texts.username,
    email: texts.userEmail,
    password: `${markers.core}-Password-1`,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: authenticated.id,
  });

  // Private values on every person, published or not, in one raw UPDATE: updatedAt stays as it
  // was, and every row of the table is rewritten at once, as on the honest side none is.
  const peopleTable = strapi.db.metadata.get('api::person.person').tableName;
  await strapi.db.connection.raw(`UPDATE ?? SET email = ? || CAST(id AS TEXT) || ?, notes = ? || CAST(id AS TEXT)`, [
    peopleTable,
    markers.privateEmailPrefix,
    '@example.org',
    `${markers.privateNotePrefix} `,
  ]);

  // The fixtures' documents get the documentIds the requests probe for.
  let next = 0;
  const after = await maxIds(strapi);
  for (const uid of Object.keys(after) as Array<keyof typeof after>) {
    const table = strapi.db.metadata.get(uid).tableName;
    const rows: Array<{ id: number; document_id: string }> = await strapi.db.connection(table).select('id', 'document_id').where('id', '>', before[uid]).orderBy('id');
    const seen = new Map<string, string>();
    for (const row of rows) {
      // The seeded workshop's draft keeps its documentId: it is the published workshop's.
      if (uid === 'api::workshop.workshop' && row.document_id === seeded.documentId) continue;
      if (!seen.has(row.document_id)) seen.set(row.document_id, markers.documentIds[next++] ?? `${markers.core}${next}`.padEnd(24, 'y'));
      await strapi.db.connection(table).where('id', row.id).update({ document_id: seen.get(row.document_id) });
    }
  }

  const publicDir = path.join(process.cwd(), 'public');
  const urls = [uploaded.url, ...Object.values(uploaded.formats ?? {}).map((format) => format.url)];
  return { uploadedFiles: urls.map((url) => path.join(publicDir, url)) };
};

const FIXTURE_TYPES = [
  'api::workshop.workshop',
  'api::person.person',
  'api::organization.organization',
  'api::sponsor.sponsor',
  'api::workshop-series.workshop-series',
  'plugin::upload.file',
  'plugin::users-permissions.user',
] as const;

const maxIds = async (strapi: Core.Strapi) => {
  const ids = {} as Record<(typeof FIXTURE_TYPES)[number], number>;
  for (const uid of FIXTURE_TYPES) {
    const row = await strapi.db.connection(strapi.db.metadata.get(uid).tableName).max('id as max').first();
    ids[uid] = Number(row?.max ?? 0);
  }
  return ids;
};
