#!/usr/bin/env node
// The hostile-requests pass: a fixed list of requests an anonymous client may send to hurt the
// server, each sent a few times, one at a time, while a second loop polls GET /_health. Two
// kinds (see bench/README.md, "Hostile requests"):
//   refused   each bound of src/access/query-bounds.ts (and of the GraphQL variables, depth,
//             aliases, tokens and body size) just exceeded, REST and GraphQL: the server must
//             refuse them, quickly;
//   accepted  the heaviest requests the bounds still let through: they must answer, and
//             /_health must keep answering meanwhile (on SQLite, one slow statement holds the
//             event loop, so /_health's latency is the time the server could not serve anyone).
// Run by bench/run.js at the end of its default run and with --hostile; alone, against a server
// that is already up (anonymous, rate limit out of reach, RESPONSE_CACHE=false; a cached server
// would answer the repeats of the accepted GraphQL requests from its cache):
//
//   node bench/hostile.js --url http://127.0.0.1:PORT [--repeat 3] [--timeout 20] [--output FILE]
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');

/** The bounds the server was compiled with (bench/run.js uses dist/ as the server does). */
const loadBounds = () => {
  const dist = (file) => path.join(ROOT, 'dist', 'src', ...file.split('/'));
  try {
    return {
      query: require(dist('access/query-bounds.js')).QUERY_BOUNDS,
      variables: require(dist('graphql/public-arguments.js')).VARIABLE_BOUNDS.public,
    };
  } catch (error) {
    throw new Error(`bench/hostile.js reads the bounds from dist/ (npm run build): ${error.message}`);
  }
};

/** After a first answer slower than this, a request is not repeated (the pass stays bounded). */
const REPEAT_BELOW_MS = 3000;
/** Pause between two /_health polls. */
const HEALTH_PAUSE_MS = 20;

const range = (n) => Array.from({ length: n }, (_, i) => i);
const rest = (pathAndQuery) => ({ method: 'GET', path: pathAndQuery });
const graphql = (query, variables) => ({ method: 'POST', path: '/graphql', body: JSON.stringify(variables === undefined ? { query } : { query, variables }) });
/** A GraphQL body written out as a string (JSON.stringify overflows the stack on thousands of levels). */
const graphqlRaw = (body) => ({ method: 'POST', path: '/graphql', body });
const WORKSHOPS_BY = 'query($f: WorkshopFiltersInput) { workshops(filters: $f, pagination: { pageSize: 100 }) { documentId title slug } }';
const nestedOr = (levels, leaf) => `${'{"or":['.repeat(levels)}${leaf}${']}'.repeat(levels)}`;

/**
 * The fixed list. `expect`: 'refused' (a 4xx, or a GraphQL answer whose errors say
 * BAD_USER_INPUT or GRAPHQL_*_FAILED; the status is shown either way) or 'accepted' (2xx, no
 * GraphQL errors). Refusals are built from the compiled bounds where a bound is a number to
 * exceed, so each exceeds its bound by one whatever the bound is; the relation bounds
 * (Q.relations 3, Q.manyRelations 1, Q.populateDepth 2) are written out, as paths of the model.
 * `repeat`: times this one is sent, instead of the pass's --repeat.
 */
const hostileRequests = ({ query: Q, variables: V }) => {
  const orSlugs = (n) => range(n).map((i) => `filters[$or][${i}][slug][$eq]=s${i}`).join('&');
  const inSlugs = (n) => range(n).map((i) => `filters[slug][$in][${i}]=s${i}`).join('&');
  const tooManySorts = range(Q.sorts + 1).map((i) => ['title', 'slug', 'startDate', 'endDate'][i % 4] + (i >= 4 ? ':desc' : '')).join(',');
  const gqlOr = (n) => ({ f: { or: range(n).map((i) => ({ slug: { eq: `s${i}` } })) } });
  // relations (3), each occurrence counted: series.sponsor (2) and series twice more under $or (4).
  const fourRelations = 'filters[series][sponsor][slug]=a&filters[$or][0][series][slug]=b&filters[$or][1][series][name][$containsi]=c';
  // The same to-one path 4 times under $or (the repetition the first run found at 15-18 s, on a to-many path).
  const sameSeries = (n) => range(n).map((i) => `filters[$or][${i}][series][name][$containsi]=s${i}`).join('&');
  // 4 relations in a row, one of them many: series.workshops.series.sponsor.
  const fourInARow = 'filters[series][workshops][series][sponsor][name][$containsi]=x';
  // manyRelations (1): the same speakers.person twice under $or; speakers and organizers; series.workshops.speakers.
  const speakersTwice = 'filters[$or][0][speakers][person][name][$containsi]=zz0&filters[$or][1][speakers][person][name][$containsi]=zz1';
  const speakersAndOrganizers = 'filters[$or][0][speakers][person][name][$containsi]=ann&filters[$or][1][organizers][person][name][$containsi]=ann';
  const seriesWorkshopsSpeakers = 'filters[series][workshops][speakers][person][name][$containsi]=ann';
  // populateDepth (2): series (1) . workshops (2) . speakers (a component) . person (3).
  const populate3 = 'populate[series][populate][workshops][populate][speakers][populate]=person';
  // The heaviest still accepted: one to-many chain (speakers, speakers.person) with every condition inside it.
  const oneChainAllConditions = range(Q.conditions).map((i) => `filters[speakers][person][$or][${i}][name][$containsi]=${['an', 'er', 'ch', 'ma', 'li'][i % 5]}${i}`).join('&');
  const threeToOne = 'filters[$or][0][series][name][$containsi]=a&filters[$or][1][series][sponsor][name][$containsi]=a&filters[$or][2][title][$containsi]=a';
  const chainAndToOne = 'filters[$or][0][speakers][person][name][$containsi]=ann&filters[$or][1][series][name][$containsi]=ann';
  const populate2 =
    'populate[speakers][populate][person][populate]=affiliation&populate[organizers][populate][person][populate]=affiliation&populate[series][populate]=sponsor&populate[talks][populate]=speakers&populate[sponsors]=true';
  const big = 'a'.repeat(1024 * 1024);
  // The public people, organizations, sponsors and series: computed once per content version,
  // so the first of these reads (in the pass) computes them and the repeats read the cache.
  const PUBLIC_READ_REPEAT = 6;

  return [
    // ------------------------------------------------------------ refused: REST
    { key: 'rest-conditions', expect: 'refused', label: `REST: ${Q.conditions + 1} conditions under $or`, ...rest(`/api/workshops?${orSlugs(Q.conditions + 1)}`) },
    { key: 'rest-nesting', expect: 'refused', label: `REST: $or nested ${Q.nesting + 1} deep`, ...rest(`/api/workshops?filters${'[$or][0]'.repeat(Q.nesting + 1)}[slug][$eq]=x`) },
    { key: 'rest-relations', expect: 'refused', label: `REST: ${Q.relations + 1} relations (series.sponsor, and series twice under $or)`, ...rest(`/api/workshops?${fourRelations}`) },
    { key: 'rest-same-path', expect: 'refused', label: `REST: the same relation (series) ${Q.relations + 1} times under $or`, ...rest(`/api/workshops?${sameSeries(Q.relations + 1)}`) },
    { key: 'rest-in-a-row', expect: 'refused', label: `REST: ${Q.relations + 1} relations in a row (series.workshops.series.sponsor)`, ...rest(`/api/workshops?${fourInARow}`) },
    { key: 'rest-many-same', expect: 'refused', label: `REST: ${Q.manyRelations + 1} relations that hold many: the same speakers.person twice under $or`, ...rest(`/api/workshops?${speakersTwice}`) },
    { key: 'rest-many-two', expect: 'refused', label: `REST: ${Q.manyRelations + 1} relations that hold many: speakers.person or organizers.person`, ...rest(`/api/workshops?${speakersAndOrganizers}`) },
    { key: 'rest-many-chain', expect: 'refused', label: `REST: ${Q.manyRelations + 1} relations that hold many in a row (series.workshops.speakers.person)`, ...rest(`/api/workshops?${seriesWorkshopsSpeakers}`) },
    { key: 'rest-in', expect: 'refused', label: `REST: $in of ${Q.listValues + 1} values`, ...rest(`/api/workshops?${inSlugs(Q.listValues + 1)}`) },
    { key: 'rest-in-huge', expect: 'refused', label: 'REST: $in of 2,000 values (a 60 KB URL)', ...rest(`/api/workshops?${inSlugs(2000)}`) },
    { key: 'rest-value', expect: 'refused', label: `REST: a value of ${Q.valueLength + 1} characters`, ...rest(`/api/workshops?filters[title][$containsi]=${'x'.repeat(Q.valueLength + 1)}`) },
    { key: 'rest-search', expect: 'refused', label: `REST: _q of ${Q.valueLength + 1} characters`, ...rest(`/api/people?_q=${'x'.repeat(Q.valueLength + 1)}`) },
    { key: 'rest-sorts', expect: 'refused', label: `REST: ${Q.sorts + 1} sort fields`, ...rest(`/api/workshops?sort=${tooManySorts}`) },
    { key: 'rest-populate-deep', expect: 'refused', label: `REST: populate ${Q.populateDepth + 1} relations deep (series.workshops.speakers.person)`, ...rest(`/api/workshops?pagination[pageSize]=100&${populate3}`) },
    { key: 'rest-populate-deep-series', expect: 'refused', label: `REST: populate ${Q.populateDepth + 1} relations deep (series list: workshops.series.sponsor)`, ...rest('/api/workshop-series-list?populate[workshops][populate][series][populate]=sponsor') },
    { key: 'rest-private-filter', expect: 'refused', label: 'REST: filter on a non-public field (summary $containsi)', ...rest('/api/workshops?filters[summary][$containsi]=x') },
    { key: 'rest-private-hop', expect: 'refused', label: 'REST: filter through a non-public relation (talks)', ...rest('/api/workshops?filters[talks][title][$containsi]=x') },
    { key: 'rest-drafts', expect: 'refused', label: 'REST: filter on publishedAt (drafts)', ...rest('/api/workshops?filters[publishedAt][$null]=true') },
    { key: 'rest-not-workshops', expect: 'refused', label: 'REST: $not around a hop into workshops', ...rest('/api/workshop-series-list?filters[$not][workshops][title][$eq]=x') },
    { key: 'rest-populate-private', expect: 'refused', label: 'REST: populate the media library (photo.related)', ...rest('/api/people?populate[photo][populate]=related') },
    { key: 'rest-body', expect: 'refused', label: 'REST: POST of a 1 MB body', method: 'POST', path: '/api/workshops', body: `{"data":{"title":"${big}"}}` },
    // ------------------------------------------------------------ refused: GraphQL
    { key: 'gql-conditions', expect: 'refused', label: `GraphQL: ${Q.conditions + 1} conditions under or (variables)`, ...graphql(WORKSHOPS_BY, gqlOr(Q.conditions + 1)) },
    {
      key: 'gql-relations',
      expect: 'refused',
      label: `GraphQL: ${Q.relations + 1} relations (series.sponsor, and series twice under or; variables)`,
      ...graphql(WORKSHOPS_BY, { f: { series: { sponsor: { slug: { eq: 'a' } } }, or: [{ series: { slug: { eq: 'b' } } }, { series: { name: { containsi: 'c' } } }] } }),
    },
    {
      key: 'gql-many-same',
      expect: 'refused',
      label: `GraphQL: ${Q.manyRelations + 1} relations that hold many: the same speakers.person twice under or (variables)`,
      ...graphql(WORKSHOPS_BY, { f: { or: [0, 1].map((i) => ({ speakers: { person: { name: { containsi: `zz${i}` } } } })) } }),
    },
    {
      key: 'gql-many-chain',
      expect: 'refused',
      label: `GraphQL: ${Q.manyRelations + 1} relations that hold many in a row (series.workshops.speakers.person; variables)`,
      ...graphql(WORKSHOPS_BY, { f: { series: { workshops: { speakers: { person: { name: { containsi: 'ann' } } } } } } }),
    },
    { key: 'gql-in-inline', expect: 'refused', label: `GraphQL: in of ${Q.listValues + 1} values (in the document)`, ...graphql(`{ workshops(filters: { slug: { in: [${range(Q.listValues + 1).map((i) => `"s${i}"`).join(',')}] } }) { title } }`) },
    { key: 'gql-in-huge', expect: 'refused', label: 'GraphQL: in of 10,000 values (variables)', ...graphql('query($s: [String]) { workshops(filters: { slug: { in: $s } }) { title } }', { s: range(10000).map((i) => `s${i}`) }) },
    { key: 'gql-or-huge', expect: 'refused', label: 'GraphQL: 1,000 or branches (variables)', ...graphql(WORKSHOPS_BY, gqlOr(1000)) },
    { key: 'gql-deep-3000', expect: 'refused', label: 'GraphQL: variables nested 6,000 levels (3,000 or)', ...graphqlRaw(`{"query":${JSON.stringify(WORKSHOPS_BY)},"variables":{"f":${nestedOr(3000, '{"slug":{"eq":"x"}}')}}}`) },
    { key: 'gql-deep-20000', expect: 'refused', label: 'GraphQL: variables nested 40,000 levels (20,000 or)', ...graphqlRaw(`{"query":${JSON.stringify(WORKSHOPS_BY)},"variables":{"f":${nestedOr(20000, '{"slug":{"eq":"x"}}')}}}`) },
    { key: 'gql-variables-deep', expect: 'refused', label: `GraphQL: variables more than ${V.depth} levels deep (${Math.ceil(V.depth / 2)} nested and)`, ...graphqlRaw(`{"query":${JSON.stringify(WORKSHOPS_BY)},"variables":{"f":${'{"and":['.repeat(Math.ceil(V.depth / 2))}{"slug":{"eq":"x"}}${']}'.repeat(Math.ceil(V.depth / 2))}}}`) },
    { key: 'gql-nested-args', expect: 'refused', label: 'GraphQL: arguments below Query (series → workshops(filters))', ...graphql('{ workshopSeriesList { workshops(filters: { title: { eq: "x" } }) { title } } }') },
    { key: 'gql-private-filter', expect: 'refused', label: 'GraphQL: filter on a non-public field (summary)', ...graphql('{ workshops(filters: { summary: { containsi: "x" } }) { title } }') },
    { key: 'gql-tokens', expect: 'refused', label: 'GraphQL: a document of more than 1,000 tokens (300 or inline)', ...graphql(`{ workshops(filters: { or: [${range(300).map((i) => `{ slug: { eq: "s${i}" } }`).join(',')}] }) { title } }`) },
    { key: 'gql-aliases', expect: 'refused', label: 'GraphQL: 16 aliases', ...graphql(`{ ${range(16).map((i) => `a${i}: workshops(pagination: { pageSize: 1 }) { title }`).join(' ')} }`) },
    { key: 'gql-depth', expect: 'refused', label: 'GraphQL: selection 11 deep', ...graphql('{ workshops { series { workshops { series { workshops { series { workshops { series { workshops { series { workshops { title } } } } } } } } } } } }') },
    { key: 'gql-body', expect: 'refused', label: 'GraphQL: a 1 MB body', ...graphqlRaw(`{"query":"{ __typename }","variables":{"x":"${big}"}}`) },
    // ------------------------------------------------------------ accepted: the public ids (first computation, then the cache)
    // Sent once: the first read of an embargoed type in the pass, which computes the public ids
    // (unless something read them in the last 60 s, PUBLIC_IDS_TTL_MS: in the default run, the measurements before).
    { key: 'ok-public-ids-first', expect: 'accepted', repeat: 1, label: 'REST: one person by slug (none found), the first such read of the pass: computes the public ids', ...rest('/api/people?filters[slug][$eq]=nobody-first') },
    { key: 'ok-person-slug', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'REST: one person by slug (none found), the public ids cached', ...rest('/api/people?filters[slug][$eq]=nobody') },
    { key: 'ok-people-page', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'REST: 100 people with their affiliation', ...rest('/api/people?pagination[pageSize]=100&populate=affiliation') },
    { key: 'ok-organizations', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'REST: 100 organizations', ...rest('/api/organizations?pagination[pageSize]=100') },
    { key: 'ok-sponsors', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'REST: 100 sponsors with their logo', ...rest('/api/sponsors?pagination[pageSize]=100&populate=*') },
    { key: 'ok-series', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'REST: 100 series with their sponsor', ...rest('/api/workshop-series-list?pagination[pageSize]=100&populate=sponsor') },
    { key: 'ok-gql-people', expect: 'accepted', repeat: PUBLIC_READ_REPEAT, label: 'GraphQL: people(filters: { slug }) (none found)', ...graphql('{ people(filters: { slug: { eq: "nobody" } }) { name } }') },
    { key: 'ok-search', expect: 'accepted', label: 'REST: _q on people, 100 a page, sorted, populate=*', ...rest('/api/people?_q=an&pagination[pageSize]=100&sort=familyName,name&populate=*') },
    { key: 'ok-in-100', expect: 'accepted', label: `REST: $in of ${Q.listValues} slugs on people`, ...rest(`/api/people?pagination[pageSize]=100&${range(Q.listValues).map((i) => `filters[slug][$in][${i}]=s${i}`).join('&')}`) },
    // ------------------------------------------------------------ accepted: the heaviest filters and populates allowed
    { key: 'ok-one-chain', expect: 'accepted', label: `REST: one to-many chain (speakers.person) with ${Q.conditions} name $containsi under $or inside it, 100 a page`, ...rest(`/api/workshops?pagination[pageSize]=100&${oneChainAllConditions}`) },
    { key: 'ok-chain-3', expect: 'accepted', label: `REST: ${Q.relations} relations in a row, one many (speakers.person.affiliation name $containsi), 100 a page`, ...rest('/api/workshops?pagination[pageSize]=100&filters[speakers][person][affiliation][name][$containsi]=an') },
    { key: 'ok-chain-and-to-one', expect: 'accepted', label: `REST: ${Q.relations} relations under $or (speakers.person, series), 100 a page`, ...rest(`/api/workshops?pagination[pageSize]=100&${chainAndToOne}`) },
    { key: 'ok-three-to-one', expect: 'accepted', label: `REST: ${Q.relations} to-one relations under $or (series, series.sponsor), 100 a page`, ...rest(`/api/workshops?pagination[pageSize]=100&${threeToOne}`) },
    { key: 'ok-series-workshops', expect: 'accepted', label: 'REST: series.workshops.title $containsi, from workshops, 100 a page', ...rest('/api/workshops?pagination[pageSize]=100&filters[series][workshops][title][$containsi]=a') },
    { key: 'ok-sponsors-series', expect: 'accepted', label: `REST: ${Q.relations} relations under $or (sponsors, series.sponsor), 100 a page`, ...rest('/api/workshops?pagination[pageSize]=100&filters[$or][0][sponsors][name][$containsi]=a&filters[$or][1][series][sponsor][name][$containsi]=a') },
    { key: 'ok-series-list-workshops', expect: 'accepted', label: 'REST: series whose workshops match (workshops.title $containsi), populate=workshops', ...rest('/api/workshop-series-list?pagination[pageSize]=100&filters[workshops][title][$containsi]=a&populate=workshops') },
    { key: 'ok-populate-all', expect: 'accepted', label: 'REST: 100 workshops, populate=*', ...rest('/api/workshops?pagination[pageSize]=100&populate=*') },
    { key: 'ok-populate-2', expect: 'accepted', label: `REST: 100 workshops, populate ${Q.populateDepth} deep (speakers.person.affiliation, organizers.person.affiliation, series.sponsor, talks.speakers, sponsors)`, ...rest(`/api/workshops?pagination[pageSize]=100&${populate2}`) },
    { key: 'ok-populate-series-workshops', expect: 'accepted', label: `REST: 100 workshops, populate ${Q.populateDepth} deep (series.workshops)`, ...rest('/api/workshops?pagination[pageSize]=100&populate[series][populate]=workshops') },
    {
      key: 'ok-gql-one-chain',
      expect: 'accepted',
      label: `GraphQL: one to-many chain (speakers.person) with ${Q.conditions} name containsi under or (variables), 100 a page`,
      ...graphql(WORKSHOPS_BY, { f: { speakers: { person: { or: range(Q.conditions).map((i) => ({ name: { containsi: `${['an', 'er', 'ch', 'ma', 'li'][i % 5]}${i}` } })) } } } }),
    },
    {
      key: 'ok-gql-page',
      expect: 'accepted',
      label: 'GraphQL: 100 workshops with speakers, people, talks, series, sponsors',
      ...graphql('{ workshops(pagination: { pageSize: 100 }) { title slug startDate speakers { person { name slug affiliation { name } } affiliation { name } } organizers { person { name slug } } talks { title speakers { name } } series { name } sponsors { name } } }'),
    },
    {
      key: 'ok-gql-series-workshops',
      expect: 'accepted',
      label: 'GraphQL: 100 workshops, each series with its workshops and their speakers (selection 6 deep)',
      ...graphql('{ workshops(pagination: { pageSize: 100 }) { title series { name workshops { title speakers { person { name } } } } } }'),
    },
    { key: 'ok-body', expect: 'accepted', label: 'GraphQL: a body just under 1 MB (an unused string variable)', ...graphqlRaw(`{"query":"{ __typename }","variables":{"x":"${'a'.repeat(1000 * 1000)}"}}`) },
  ];
};

// ---------------------------------------------------------------- sending

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** What an answer says: refused or accepted, and why (the error message, shortened). */
const outcomeOf = (status, text) => {
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const errors = json?.errors ?? (json?.error ? [json.error] : undefined);
  const message = errors?.[0]?.message ?? (status >= 400 ? `HTTP ${status}${text ? `: ${text.slice(0, 80)}` : ''}` : '');
  if (status >= 400) return { outcome: 'refused', message };
  if (errors?.length) {
    const codes = errors.map((error) => error.extensions?.code ?? '');
    const refusal = codes.every((code) => code === 'BAD_USER_INPUT' || /^GRAPHQL_\w+_FAILED$/.test(code));
    return { outcome: refusal ? 'refused' : 'error', message };
  }
  return { outcome: 'accepted', message: '' };
};

/** One request, anonymous: status, milliseconds to the end of the body, bytes, outcome. */
const sendOnce = async (base, request, timeoutMs) => {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.body ? { 'content-type': 'application/json' } : {},
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, bytes: Buffer.byteLength(text), ...outcomeOf(response.status, text) };
  } catch (error) {
    const timedOut = error.name === 'TimeoutError';
    return { status: timedOut ? 'timeout' : 'failed', ms: performance.now() - started, bytes: 0, outcome: timedOut ? 'timeout' : 'error', message: error.cause?.message ?? error.message };
  }
};

/**
 * Polls GET /_health one request after the other (a pause of HEALTH_PAUSE_MS between) until
 * stopped; each poll is attributed to the request being sent when it started.
 */
const healthLoop = (base, current) => {
  const polls = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const row = current();
      const started = performance.now();
      let ok = false;
      let error = '';
      try {
        const response = await fetch(`${base}/_health`, { signal: AbortSignal.timeout(60000) });
        await response.arrayBuffer();
        ok = response.status === 204 || response.status === 200;
        if (!ok) error = `HTTP ${response.status}`;
      } catch (failure) {
        error = failure.cause?.message ?? failure.message;
      }
      polls.push({ row, ms: performance.now() - started, ok, error });
      await sleep(HEALTH_PAUSE_MS);
    }
  })();
  return {
    polls,
    stop: async () => {
      running = false;
      await done;
    },
  };
};

/**
 * Sends every request of the list `repeat` times, one at a time (a request whose first answer
 * took more than REPEAT_BELOW_MS is not repeated), with /_health polled meanwhile. Returns the
 * rows, the polls and the summary.
 */
const runHostile = async ({ base, repeat = 3, timeoutSeconds = 20, log = console.log, bounds = loadBounds(), shouldStop = () => false }) => {
  const requests = hostileRequests(bounds);
  const loadBefore = os.loadavg();
  let current = null;
  // A quiet baseline first: /_health alone for a second.
  const health = healthLoop(base, () => current);
  await sleep(1000);
  const rows = [];
  const started = Date.now();
  try {
    for (const request of requests) {
      if (shouldStop()) throw new Error('Interrupted');
      const row = { ...request, answers: [] };
      rows.push(row);
      current = row;
      for (let i = 0; i < (request.repeat ?? repeat); i += 1) {
        const answer = await sendOnce(base, request, timeoutSeconds * 1000);
        row.answers.push(answer);
        if (answer.ms > REPEAT_BELOW_MS || answer.outcome === 'timeout') break;
      }
      current = null;
      // Let a poll that was held by this request finish before the next one starts.
      await sleep(HEALTH_PAUSE_MS * 2);
      summarizeRow(row, health.polls);
      log(`  ${row.expect === 'refused' ? 'refused ' : 'accepted'} ${row.label}: ${row.statuses}, first ${row.first.toFixed(0)} ms, median ${row.median.toFixed(0)} ms, max ${row.max.toFixed(0)} ms, /_health max ${row.healthMax === null ? 'n/a' : row.healthMax.toFixed(0)} ms${row.unexpected ? `  ← UNEXPECTED: ${row.unexpected}` : ''}`);
    }
  } finally {
    await health.stop();
  }
  for (const row of rows) summarizeRow(row, health.polls);
  const seconds = (Date.now() - started) / 1000;
  const loadAfter = os.loadavg();
  const polls = health.polls;
  const slowest = (kind) => rows.filter((row) => row.expect === kind).sort((a, b) => b.median - a.median)[0];
  const summary = {
    seconds,
    load: { before: loadBefore, after: loadAfter },
    requests: rows.reduce((sum, row) => sum + row.answers.length, 0),
    health: {
      polls: polls.length,
      failed: polls.filter((poll) => !poll.ok).length,
      errors: [...new Set(polls.filter((poll) => !poll.ok).map((poll) => `${poll.error}${poll.row ? ` during "${poll.row.label}"` : ''}`))].join('; '),
      median: polls.length ? median(polls.map((poll) => poll.ms)) : null,
      max: polls.length ? Math.max(...polls.map((poll) => poll.ms)) : null,
      baselineMedian: median(polls.filter((poll) => poll.row === null).map((poll) => poll.ms)),
    },
    slowestRefused: slowest('refused'),
    slowestAccepted: slowest('accepted'),
    unexpected: rows.filter((row) => row.unexpected),
    /** Refused, but not with a 4xx (a GraphQL answer with HTTP 200 and BAD_USER_INPUT errors). */
    refusedWithout4xx: rows.filter((row) => row.expect === 'refused' && row.answers.some((answer) => answer.outcome === 'refused' && !(answer.status >= 400 && answer.status < 500))),
  };
  return { rows, summary, repeat, timeoutSeconds };
};

const summarizeRow = (row, polls) => {
  const times = row.answers.map((answer) => answer.ms);
  const statuses = [...new Set(row.answers.map((answer) => String(answer.status)))];
  const outcomes = new Set(row.answers.map((answer) => answer.outcome));
  const healthPolls = polls.filter((poll) => poll.row === row).map((poll) => poll.ms);
  Object.assign(row, {
    first: times[0],
    median: median(times),
    max: Math.max(...times),
    statuses: `${statuses.join('/')} ×${row.answers.length}`,
    message: row.answers.find((answer) => answer.message)?.message ?? '',
    bytes: median(row.answers.map((answer) => answer.bytes)),
    healthMax: healthPolls.length ? Math.max(...healthPolls) : null,
    healthPolls: healthPolls.length,
    unexpected: outcomes.size === 1 && outcomes.has(row.expect) ? '' : `expected ${row.expect}, got ${[...outcomes].join(' and ')}`,
  });
};

// ---------------------------------------------------------------- reporting

const ms = (value) => (value === null || value === undefined ? 'n/a' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const size = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${bytes} B`);

/** The markdown section: the table, /_health, the slowest refused and accepted requests. */
const hostileSection = ({ rows, summary, repeat, timeoutSeconds }, { title = '## Hostile requests', database = '' } = {}) => {
  const { health } = summary;
  const line = (row) =>
    `| ${cell(row.label)} | ${row.expect} | ${row.statuses} | ${ms(row.first)} | ${ms(row.median)} | ${ms(row.max)} | ${ms(row.healthMax)} | ${size(row.bytes)} | ${cell(row.unexpected ? `**${row.unexpected}** ${row.message}` : row.message).slice(0, 160)} |`;
  const slowest = (row) => (row ? `${row.label}: median ${ms(row.median)} ms, max ${ms(row.max)} ms (${row.statuses}), /_health max meanwhile ${ms(row.healthMax)} ms` : 'none');
  return [
    title,
    '',
    `Anonymous requests from the fixed list of \`bench/hostile.js\`${database ? `, ${database}` : ''}, sent one at a time, each ${repeat} times ` +
      `(the reads of people, organizations, sponsors and series ${Math.max(...rows.map((row) => row.repeat ?? 0))} times, after one read sent once that computes the public ids; the others read them cached) ` +
      `(once when its first answer took more than ${REPEAT_BELOW_MS / 1000} s; client timeout ${timeoutSeconds} s), on the uncached server, while a second loop ` +
      `polled \`GET /_health\` one request after the other (every ${HEALTH_PAUSE_MS} ms between answers). "/_health max" is the slowest poll that started while ` +
      'that request was being sent: on SQLite, the time the event loop was held. Times are milliseconds on the client, to the end of the body; ' +
      'the machine is shared (2 cores, other work running), so single values are noisy: read the medians.',
    '',
    '| request | expected | HTTP status × sent | first ms | median ms | max ms | /_health max ms | answer size | answer |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(line),
    '',
    `- **slowest refused request: ${slowest(summary.slowestRefused)}**`,
    `- **slowest accepted request: ${slowest(summary.slowestAccepted)}**`,
    `- /_health during the pass: ${health.polls} polls${health.failed ? ` (${health.failed} failed: ${health.errors})` : ''}, median ${ms(health.median)} ms, **max ${ms(health.max)} ms**; ` +
      `alone before the pass: median ${ms(health.baselineMedian)} ms`,
    `- ${summary.requests} requests in ${summary.seconds.toFixed(1)} s` +
      (summary.unexpected.length ? `; **unexpected answers: ${summary.unexpected.map((row) => row.key).join(', ')}**` : '; every request answered as expected'),
    `- Refused with a status other than 4xx: ${summary.refusedWithout4xx.length ? `**${summary.refusedWithout4xx.map((row) => `${row.key} (${row.statuses})`).join(', ')}**` : 'none (every refusal, REST and GraphQL, was a 4xx)'}`,
    `- Load average (1, 5, 15 min) on the machine: ${summary.load.before.map((value) => value.toFixed(2)).join(', ')} when the pass started, ${summary.load.after.map((value) => value.toFixed(2)).join(', ')} when it ended`,
    '',
  ];
};

/** The two lines run.js and the command line print at the end. */
const slowestLines = ({ summary }) => [
  `slowest refused request: ${summary.slowestRefused ? `${summary.slowestRefused.label}: ${ms(summary.slowestRefused.median)} ms (median; max ${ms(summary.slowestRefused.max)} ms)` : 'none'}`,
  `slowest accepted request: ${summary.slowestAccepted ? `${summary.slowestAccepted.label}: ${ms(summary.slowestAccepted.median)} ms (median; max ${ms(summary.slowestAccepted.max)} ms)` : 'none'}`,
  `/_health max latency during the pass: ${ms(summary.health.max)} ms (median ${ms(summary.health.median)} ms over ${summary.health.polls} polls)`,
];

// ---------------------------------------------------------------- alone

const USAGE = `node bench/hostile.js --url http://127.0.0.1:PORT [--repeat N] [--timeout S] [--output FILE]

Sends the hostile requests to a server that is already up (anonymous; rate limit out of reach,
RESPONSE_CACHE=false). npm run bench -- --hostile [--sqlite] starts one on a generated database.
  --repeat N    times each request is sent (3)
  --timeout S   client timeout per request, in seconds (20)
  --output FILE write the markdown section there (default: print it only)
`;

const main = async () => {
  const args = process.argv.slice(2);
  const options = { url: '', repeat: 3, timeout: 20, output: '' };
  for (let i = 0; i < args.length; i += 1) {
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(args[i]);
    if (!match || !(match[1] in options) || match[1] === 'help') {
      console.log(USAGE);
      return match?.[1] === 'help' ? 0 : 2;
    }
    options[match[1]] = match[2] ?? args[(i += 1)];
  }
  if (!options.url) {
    console.log(USAGE);
    return 2;
  }
  const base = options.url.replace(/\/$/, '');
  const health = await fetch(`${base}/_health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, (e) => e.message);
  if (health !== 204 && health !== 200) throw new Error(`${base}/_health answered ${health}`);
  const result = await runHostile({ base, repeat: Number(options.repeat), timeoutSeconds: Number(options.timeout) });
  const text = [`# Hostile requests against ${base}`, '', `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`, '', ...hostileSection(result, { title: '## Requests' })].join('\n');
  console.log(`\n${text}`);
  for (const line of slowestLines(result)) console.log(line);
  if (options.output) {
    fs.writeFileSync(path.resolve(options.output), text);
    console.log(`Written to ${options.output}`);
  }
  return result.summary.unexpected.length ? 1 : 0;
};

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error.stack || error.message);
      process.exit(1);
    }
  );
}

module.exports = { hostileRequests, runHostile, hostileSection, slowestLines, loadBounds };
