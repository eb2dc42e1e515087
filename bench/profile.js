#!/usr/bin/env node
// Where an uncached operation's time goes: generates the benchmark's database (bench/generate.js),
// starts the server (bench/server.js) with `node --cpu-prof`, RESPONSE_CACHE=false, loads the
// chosen contract operations with autocannon, stops the server and prints the functions and the
// modules with the most self time in its CPU profile. See bench/README.md, "Profiling a miss".
//
//   node bench/profile.js --operation list      # WorkshopList, random page 1-10
//   node bench/profile.js --operation person    # PersonPage, random slugs
//   node bench/profile.js --operation list --profile-only FILE.cpuprofile   # summarize a profile
const fs = require('fs');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');
const { buildDataset } = require('./dataset');
const { parseOptions, sizesOf, createBenchDatabase, dropBenchDatabase, generateData, startUncachedServer } = require('./support');

const ROOT = path.join(__dirname, '..');
const contract = (name) => fs.readFileSync(path.join(ROOT, 'docs', 'graphql', 'contract', name), 'utf8');

/** Self time per function and per module (package, or file under src/) of a .cpuprofile. */
const summarize = (file, top = 25) => {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const gaps = profile.timeDeltas;
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (gaps[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const modules = new Map();
  const moduleOf = (url) => {
    if (!url) return '(native / V8)';
    const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (packaged) return packaged[1];
    const own = /\/dist\/(src\/.*)$/.exec(url);
    if (own) return own[1];
    return url.startsWith('node:') ? 'node (core)' : url.replace(ROOT, '.');
  };
  for (const [id, time] of self) {
    const { callFrame } = byId.get(id);
    const name = `${callFrame.functionName || '(anonymous)'} ${moduleOf(callFrame.url)}:${callFrame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
    const module = callFrame.url ? moduleOf(callFrame.url) : callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native / V8)';
    modules.set(module, (modules.get(module) ?? 0) + time);
  }
  const lines = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `  ${((100 * time) / total).toFixed(1).padStart(5)}%  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  return [`Profile ${file}: ${(total / 1e6).toFixed(1)} s sampled`, 'Self time by module:', ...lines(modules), 'Self time by function:', ...lines(functions)].join('\n');
};

const main = async () => {
  const argv = process.argv.slice(2);
  const take = (flag) => {
    const index = argv.indexOf(flag);
    if (index < 0) return undefined;
    const [, value] = argv.splice(index, 2);
    return value;
  };
  const operationName = take('--operation') ?? 'list';
  const profileOnly = take('--profile-only');
  if (profileOnly) return console.log(summarize(profileOnly));
  const options = parseOptions(argv);
  const sizes = sizesOf(options);
  const dataset = buildDataset(sizes, options.seed);
  const operations = {
    list: { query: contract('workshop-list.graphql'), variables: () => ({ page: 1 + Math.floor(Math.random() * 10) }) },
    person: {
      query: contract('person-page.graphql'),
      variables: () => {
        const workshop = dataset.workshops[Math.floor(Math.random() * dataset.workshops.length)];
        return { slug: dataset.people[workshop.speakers[0].person].slug };
      },
    },
    workshop: { query: contract('workshop-page.graphql'), variables: () => ({ slug: dataset.workshops[Math.floor(Math.random() * dataset.workshops.length)].slug }) },
  };
  const operation = operations[operationName];
  if (!operation) throw new Error(`--operation is one of ${Object.keys(operations).join(', ')}`);

  const database = await createBenchDatabase(options.databaseUrl, 'profile');
  const profiles = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam_bench_profile_'));
  let server;
  try {
    await generateData(database.url, options, sizes);
    server = await startUncachedServer(database.url, { execArgv: ['--cpu-prof', '--cpu-prof-dir', profiles] });
    const { port } = server;
    console.log(`Loading ${operationName} for ${options.duration} s, ${options.connections} connections…`);
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: options.connections,
      duration: options.duration,
      requests: [
        {
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: operation.query, variables: operation.variables() }) }),
        },
      ],
    });
    console.log(`${operationName}: ${result.requests.average} req/s, p50 ${result.latency.p50} ms, ${result.non2xx} non-2xx`);
  } finally {
    await server?.stop();
    await dropBenchDatabase(options.databaseUrl, database.name);
  }
  const [file] = fs.readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`No profile in ${profiles}`);
  const kept = path.join(os.tmpdir(), `ipam-bench-${operationName}-${Date.now()}.cpuprofile`);
  fs.renameSync(path.join(profiles, file), kept);
  fs.rmSync(profiles, { recursive: true, force: true });
  console.log(summarize(kept));
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.stack || error.message);
    process.exit(1);
  }
);
