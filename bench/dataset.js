// The benchmark's data, as plain objects: organizations, people, sponsors, series and published
// workshops that reference each other by index. Deterministic for a given seed and size, so two
// runs (and the two database sizes of --scaling) are comparable.
const { DateTime } = require('luxon');
const slugifyText = require('slugify');

/** Same rules as src/workshop-files/names.ts, so slugs look like the ones an import writes. */
const slugify = (text) => slugifyText(text, { lower: true, strict: true, locale: 'de', trim: true });

/** mulberry32: a small seeded PRNG; Math.random would make every run different. */
const randomSource = (seed) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  /** k distinct integers in [0, n), in random order. */
  const distinct = (n, k) => {
    const chosen = new Set();
    while (chosen.size < Math.min(k, n)) chosen.add(int(n));
    return [...chosen];
  };
  return { next, int, pick, distinct, chance: (p) => next() < p };
};

const GIVEN = ('Ada Alan Alexander Amir Ana Anatole Andrea Anna Aziz Beatriz Bernd Carla Chen Claire Daniel David Elena Emma ' +
  'Fatima Felix Gabriel Hana Hiro Ingrid Ivan Jana Javier Jin Julia Karim Klaus Lara Lena Li Lucas Maria Marta Mateo Mei ' +
  'Mohammed Nadia Nils Olga Omar Paula Pedro Priya Rafael Ravi Rosa Sara Sofia Sven Tariq Tomas Uma Victor Wei Xavier Yuki Zoe').split(' ');
const FAMILY = ('Abe Alvarez Bauer Bresson Brown Carvalho Chen Costa Dubois Eriksen Fischer Garcia Gupta Haddad Hansen Ito ' +
  'Jensen Kaur Kim Kowalski Laurent Lee Lopez Martin Meyer Moreau Müller Nakamura Nguyen Novak Okafor Olsen Park Patel ' +
  'Petrov Quinn Rahman Rossi Sato Schmidt Silva Singh Smith Suzuki Tanaka Torres Wagner Wang Weber Yamamoto Zhang ' +
  'von_Lilienfeld de_Vries van_der_Berg').split(' ').map((name) => name.replace(/_/g, ' '));
const PLACES = ('Aachen Amsterdam Austin Barcelona Basel Berkeley Berlin Bologna Boston Cambridge Chicago Copenhagen Delft ' +
  'Edinburgh Geneva Heidelberg Helsinki Kyoto Leiden Lisbon London Madrid Melbourne Milan Montreal Munich Oslo Oxford Paris ' +
  'Pisa Prague Princeton Rome Seattle Seoul Singapore Stanford Stockholm Sydney Tokyo Toronto Utrecht Vienna Warsaw Zurich').split(' ');
const ORG_FORMS = [
  ['University of %', 'university'], ['% Institute of Technology', 'university'], ['% Center for Mathematical Sciences', 'institute'],
  ['Max Planck Institute %', 'institute'], ['% Research Labs', 'company'], ['% Science Foundation', 'foundation'],
];
const TOPICS = ('Learning Emergence Geometry Topology Dynamics Optimization Inference Turbulence Symmetry Randomness Sampling ' +
  'Transport Control Networks Combinatorics Signals Imaging Materials Quantum_Computing Deep_Learning Data_Assimilation ' +
  'Uncertainty Stochastic_Analysis Kinetic_Theory Tensor_Methods Sparse_Recovery Graph_Theory Number_Theory Game_Theory ' +
  'Computational_Biology').split(' ').map((word) => word.replace(/_/g, ' '));
const FIELDS = ('Molecular Systems|Climate Models|Biological Networks|Fluids|Materials Science|Large Language Models|Cryptography|' +
  'Power Grids|Epidemiology|Astrophysics|Neuroscience|Finance|Robotics|Partial Differential Equations|Quantum Matter|' +
  'Social Networks|Genomics|Medical Imaging|Chemistry|Economics').split('|');
const TALK_WORDS = ('Scaling limits|Random features|Mean-field games|Optimal transport|Neural operators|Spectral gaps|Rare events|' +
  'Equivariant networks|Free energy|Coarse graining|Sparse models|Inverse problems|Kernel methods|Phase transitions|' +
  'Langevin dynamics|Graph neural networks|Homogenization|Diffusion models|Tensor networks|Active learning').split('|');
const TIMEZONE = 'America/Los_Angeles';
/** Four slots a day, local time. */
const SLOTS = [['09:00', '09:50'], ['10:30', '11:20'], ['13:30', '14:20'], ['15:00', '15:50']];

const paragraphs = (...texts) => texts.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] }));

/**
 * Sizes: workshops, people, organizations, sponsors, series, organizers, speakers and talks per
 * workshop. Returns { organizations, people, sponsors, series, workshops }, all plain data.
 */
const buildDataset = (sizes, seed = 1) => {
  const random = randomSource(seed);
  const organizations = Array.from({ length: sizes.organizations }, (_, i) => {
    const [form, kind] = ORG_FORMS[i % ORG_FORMS.length];
    const base = form.replace('%', PLACES[Math.floor(i / ORG_FORMS.length) % PLACES.length]);
    const round = Math.floor(i / (ORG_FORMS.length * PLACES.length));
    const name = round === 0 ? base : `${base} ${round + 1}`;
    return { name, slug: slugify(name), kind, country: random.pick(['US', 'DE', 'FR', 'GB', 'JP', 'CH', 'NL', 'IT', 'CA', 'SG']), url: `https://www.${slugify(name)}.example.org` };
  });

  const people = Array.from({ length: sizes.people }, (_, i) => {
    const given = GIVEN[i % GIVEN.length];
    const family = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length];
    const round = Math.floor(i / (GIVEN.length * FAMILY.length));
    // Past the first GIVEN × FAMILY names, a middle initial (and then a number) keeps names unique.
    const middle = round === 0 ? '' : ` ${String.fromCharCode(65 + ((round - 1) % 26))}.${round > 26 ? Math.ceil(round / 26) : ''}`;
    const name = `${given}${middle} ${family}`;
    return {
      name,
      slug: slugify(name),
      familyName: family,
      affiliation: random.chance(0.9) ? random.int(organizations.length) : null,
      homepage: random.chance(0.5) ? `https://people.example.org/${slugify(name)}` : null,
    };
  });

  const sponsors = Array.from({ length: sizes.sponsors }, (_, i) => {
    const name = `${PLACES[i % PLACES.length]} Foundation for ${TOPICS[i % TOPICS.length]}${i >= PLACES.length ? ` ${i + 1}` : ''}`;
    const acronym = name.split(/\s+/).filter((word) => /^[A-Z]/.test(word)).map((word) => word[0]).join('');
    return { name, slug: slugify(name), acronym, url: `https://${slugify(name)}.example.org`, description: `${name} funds research in ${TOPICS[i % TOPICS.length].toLowerCase()}.` };
  });

  const series = Array.from({ length: sizes.series }, (_, i) => {
    const name = `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]} Workshop on ${FIELDS[i % FIELDS.length]}${i >= FIELDS.length ? ` ${i + 1}` : ''}`;
    const sponsor = sponsors.length ? i % sponsors.length : null;
    return {
      name,
      slug: slugify(name),
      description: `A yearly series on ${FIELDS[i % FIELDS.length].toLowerCase()}.`,
      acknowledgement: `This is a ${name}, made possible by a gift from ${sponsor === null ? 'friends of the institute' : sponsors[sponsor].name}.`,
      sponsor,
    };
  });

  const titles = new Set();
  const firstMonday = DateTime.fromISO('2000-01-03', { zone: TIMEZONE });
  const weeks = 52 * 32; // 2000 to 2031: past, current and upcoming workshops
  const workshops = Array.from({ length: sizes.workshops }, (_, i) => {
    let title = `${random.pick(TOPICS)} and ${random.pick(TOPICS)} in ${random.pick(FIELDS)}`;
    for (let n = 2; titles.has(title); n += 1) title = `${title.replace(/ \d+$/, '')} ${n}`;
    titles.add(title);
    const start = firstMonday.plus({ weeks: random.int(weeks) });
    const days = Math.min(5, Math.max(1, Math.ceil(sizes.talks / SLOTS.length)));
    const chosen = random.distinct(people.length, sizes.organizers + sizes.speakers);
    const credit = (person) => ({
      person,
      // As an import writes it: the person's affiliation at the time; now and then another one.
      affiliation: random.chance(0.1) && organizations.length ? random.int(organizations.length) : people[person].affiliation,
    });
    const speakers = chosen.slice(sizes.organizers).map(credit);
    const past = start.year < 2026;
    // Each day's date and UTC offset, looked up once: luxon per talk made 10,000 workshops slow.
    const dayInfo = Array.from({ length: days }, (_, d) => {
      const day = start.plus({ days: d });
      return { date: day.toISODate(), offset: day.offset };
    });
    const talks = Array.from({ length: sizes.talks }, (_, t) => {
      const day = dayInfo[Math.floor(t / SLOTS.length) % days];
      const [from, to] = SLOTS[t % SLOTS.length];
      // Local time of the workshop's zone → UTC instant, written as parse.ts writes it.
      const at = (time) => new Date(Date.parse(`${day.date}T${time}:00Z`) - day.offset * 60000).toISOString().replace('.000Z', 'Z');
      const count = speakers.length === 0 ? 0 : random.chance(0.25) ? Math.min(2, speakers.length) : 1;
      const talkSpeakers = random.distinct(speakers.length, count).map((s) => speakers[s].person);
      return {
        title: `${random.pick(TALK_WORDS)} for ${random.pick(TOPICS).toLowerCase()}`,
        abstract: random.chance(0.5) ? `We discuss ${random.pick(TALK_WORDS).toLowerCase()} and their use in ${random.pick(FIELDS).toLowerCase()}.` : null,
        startsAt: at(from),
        endsAt: at(to),
        kind: talkSpeakers.length === 2 && t % 7 === 3 ? 'panel' : 'talk',
        speakers: talkSpeakers,
        videoUrl: past && random.chance(0.5) ? `https://video.example.org/${i}/${t}` : null,
      };
    });
    const inSeries = series.length > 0 && random.chance(0.3);
    return {
      title,
      slug: slugify(title),
      startDate: start.toISODate(),
      endDate: start.plus({ days: days - 1 }).toISODate(),
      timezone: TIMEZONE,
      summary: `A week on ${title.toLowerCase()}.`,
      overview: paragraphs(
        `This workshop brings together researchers working on ${title.toLowerCase()}.`,
        `Talks cover ${random.pick(TALK_WORDS).toLowerCase()}, ${random.pick(TALK_WORDS).toLowerCase()} and open problems.`
      ),
      participation: null,
      registrationUrl: `https://www.example.org/register/${slugify(title)}`,
      fundingApplicationUrl: random.chance(0.7) ? `https://www.example.org/apply/${slugify(title)}` : null,
      applicationDeadline: start.minus({ weeks: 8 }).toISODate(),
      posterSession: random.chance(0.5) ? { enabled: true, details: 'A request for posters will be sent to registered participants.' } : null,
      venue: random.chance(0.2)
        ? { name: `${random.pick(PLACES)} Conference Center`, locality: random.pick(PLACES), country: 'US', attendanceMode: random.pick(['offline', 'mixed']) }
        : null,
      series: inSeries ? random.int(series.length) : null,
      sponsors: random.distinct(sponsors.length, random.int(3)),
      organizers: chosen.slice(0, sizes.organizers).map(credit),
      speakers,
      talks,
    };
  });

  return { organizations, people, sponsors, series, workshops };
};

module.exports = { buildDataset, slugify };
