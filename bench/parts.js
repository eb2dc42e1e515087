#!/usr/bin/env node
// What each part of an uncached contract operation costs: the operation built up a part at a time
// (WorkshopList: the connection's count alone, then its nodes' titles, their dates, summary and
// series, then their speakers; PersonPage: the person, then the appearances), each loaded in
// rounds beside `{ __typename }` on one uncached server, with its throughput and its ratio to
// `{ __typename }` in the same round. Generates the benchmark's database (bench/generate.js) and
// drops it afterwards. See bench/README.md, "What a miss is made of".
//
//   node bench/parts.js                      # WorkshopList, default sizes, 5 rounds of 5 s
//   node bench/parts.js --operation person   # PersonPage
const fs = require('fs');
const path = require('path');
const autocannon = require('autocannon');
const { buildDataset } = require('./dataset');
const { parseOptions, sizesOf, createBenchDatabase, dropBenchDatabase, generateData, startUncachedServer } = require('./support');

const CONTRACT = path.join(__dirname, '..', 'docs', 'graphql', 'contract');
const contract = (name) => fs.readFileSync(path.join(CONTRACT, name), 'utf8');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const LIST_ARGUMENTS = 'sort: ["startDate:desc"], pagination: { page: $page, pageSize: 25 }';
const PAGE_INFO = 'pageInfo { total page pageSize pageCount }';
const listPart = (nodes) =>
  `query ListPart($page: Int) { workshops_connection(${LIST_ARGUMENTS}) { ${nodes ? `nodes { ${nodes} } ` : ''}${PAGE_INFO} } }`;
const IMAGE = 'url alternativeText width height imageFormats { thumbnail { url width height } small { url width height } medium { url width height } large { url width height } }';

/** Each operation's parts, cumulative: the last is the contract's document itself. */
const partsOf = (dataset) => {
  const page = () => ({ page: 1 + Math.floor(Math.random() * 10) });
  const slug = () => ({ slug: dataset.people[dataset.workshops[Math.floor(Math.random() * dataset.workshops.length)].speakers[0].person].slug });
  return {
    list: [
      { name: 'the count (pageInfo, no nodes)', query: listPart(''), variables: page },
      { name: '+ 25 nodes: title, slug', query: listPart('title slug'), variables: page },
      { name: '+ dateRange, phase, summary, series', query: listPart('title slug dateRange phase summary series { name slug }'), variables: page },
      { name: '+ speakers { person { name } }: WorkshopList', query: contract('workshop-list.graphql'), variables: page },
    ],
    person: [
      { name: 'name, slug, homepage', query: 'query($slug: String!) { personBySlug(slug: $slug) { name slug homepage } }', variables: slug },
      { name: '+ photo, affiliation', query: `query($slug: String!) { personBySlug(slug: $slug) { name slug homepage photo { ${IMAGE} } affiliation { name } } }`, variables: slug },
      { name: '+ appearances: PersonPage', query: contract('person-page.graphql'), variables: slug },
    ],
  };
};

const load = async (port, { query, variables }, { connections, duration }) => {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ query, variables: variables() }) }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50 };
};

/** One answer of each part, checked: no error, something found. */
const check = async (port, part) => {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: part.query, variables: part.variables() }),
  });
  const body = await res.json();
  const [answer] = Object.values(body.data ?? {});
  if (res.status !== 200 || body.errors || !answer) throw new Error(`${part.name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
};

const main = async () => {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--operation');
  const operation = at < 0 ? 'list' : argv.splice(at, 2)[1];
  const options = parseOptions(argv);
  const sizes = sizesOf(options);
  const parts = partsOf(buildDataset(sizes, options.seed))[operation];
  if (!parts) throw new Error('--operation is list or person');
  const reference = { name: '{ __typename }', query: '{ __typename }', variables: () => ({}) };
  const measured = [reference, ...parts];

  const database = await createBenchDatabase(options.databaseUrl, 'parts');
  let server;
  try {
    await generateData(database.url, options, sizes);
    server = await startUncachedServer(database.url);
    for (const part of parts) await check(server.port, part);
    for (const part of measured) await load(server.port, part, { ...options, duration: options.warmup });
    const rounds = measured.map(() => []);
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [index, part] of measured.entries()) rounds[index].push(await load(server.port, part, options));
      console.log(`round ${round + 1}: ${rounds.map((results) => results[round].rps.toFixed(0)).join(' · ')} requests/s`);
    }
    console.log(`\nUncached ${operation === 'list' ? 'WorkshopList' : 'PersonPage'}, part by part (${options.rounds} rounds of ${options.duration} s, ${options.connections} connections)`);
    console.log('| part | requests/s (median) | p50 ms | / `{ __typename }` (median of rounds) | per round |');
    console.log('|---|---:|---:|---:|---|');
    for (const [index, part] of measured.entries()) {
      const ratios = rounds[index].map(({ rps }, round) => rps / rounds[0][round].rps);
      const cells = [part.name, median(rounds[index].map(({ rps }) => rps)).toFixed(0), median(rounds[index].map(({ p50 }) => p50)), median(ratios).toFixed(2), ratios.map((ratio) => ratio.toFixed(2)).join(' · ')];
      console.log(`| ${cells.join(' | ')} |`);
    }
  } finally {
    await server?.stop();
    await dropBenchDatabase(options.databaseUrl, database.name);
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.stack || error.message);
    process.exit(1);
  }
);
