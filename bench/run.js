#!/usr/bin/env node
// npm run bench: throughput, latency, SQL statements and memory of the contract operations on a
// generated database, uncached and cached, then the hostile-requests pass (bench/hostile.js);
// `npm run bench -- --scaling`: workshop page latency against the size of the database;
// `npm run bench -- --hostile [--sqlite]`: the hostile pass alone, on PostgreSQL or SQLite.
// See bench/README.md.
const { fork, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');
const { buildDataset } = require('./dataset');
const { runHostile, hostileSection, slowestLines } = require('./hostile');
const { runEditing } = require('./editing');
const {
  USAGE,
  parseOptions,
  sizesOf,
  strapiEnv,
  serverNodeOptions,
  redact,
  withClient,
  createBenchDatabase,
  dropBenchDatabase,
  createSqliteDatabase,
  dropSqliteDatabase,
} = require('./support');

const ROOT = path.join(__dirname, '..');
const LOAD_AT_START = os.loadavg().map((load) => load.toFixed(2)).join(' ');
/** Longest priming pass before a cached run, per operation. */
const PRIME_SECONDS = 120;
const LOGS = path.join(__dirname, 'results');
const contract = (name) => fs.readFileSync(path.join(ROOT, 'docs', 'graphql', 'contract', name), 'utf8');

// ---------------------------------------------------------------- clean-up, also on Ctrl-C

/** Undo steps, run newest first by cleanUp() whatever happens: kill the server, drop the database. */
const undo = [];
let cleaning;
const cleanUp = () => {
  cleaning ??= (async () => {
    const deadline = new Promise((resolve) => setTimeout(resolve, 60000).unref());
    while (undo.length > 0) {
      const step = undo.pop();
      await Promise.race([step().catch((error) => console.error(`Clean-up: ${error.message}`)), deadline]);
    }
  })();
  return cleaning;
};
const forget = (step) => {
  const index = undo.indexOf(step);
  if (index >= 0) undo.splice(index, 1);
};
/** Runs `body` with `release` registered as an undo step, and releases it afterwards. */
const holding = async (release, body) => {
  undo.push(release);
  try {
    return await body();
  } finally {
    forget(release);
    await release();
  }
};
/** After Ctrl-C, nothing new starts while the clean-up runs. */
const stopIfInterrupted = () => {
  if (cleaning) throw new Error('Interrupted');
};
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (cleaning) return;
    console.error(`\n${signal}: stopping the server and dropping the bench database…`);
    cleanUp().finally(() => process.exit(code));
  });
}

// ---------------------------------------------------------------- operations

const random = (n) => Math.floor(Math.random() * n);
const pick = (list) => list[random(list.length)];

/**
 * The operations measured: the contract documents front ends send, a trivial query, the health
 * check. Page operations have `keys` (slugs, page numbers); each request picks one at random.
 */
const operationsFor = (keys) => [
  { key: 'health', label: '`GET /_health`', method: 'GET', path: '/_health' },
  { key: 'typename', label: '`{ __typename }`', query: '{ __typename }', check: (data) => data?.__typename === 'Query' },
  {
    key: 'workshop',
    label: `WorkshopPage, ${number(keys.workshops.length)} random slugs`,
    query: contract('workshop-page.graphql'),
    keys: keys.workshops,
    variables: (slug) => ({ slug }),
    check: (data) => Boolean(data?.workshopBySlug?.slug),
  },
  {
    key: 'list',
    label: `WorkshopList, random page 1-${keys.listPages.length}`,
    query: contract('workshop-list.graphql'),
    keys: keys.listPages,
    variables: (page) => ({ page }),
    check: (data) => data?.workshops_connection?.nodes?.length > 0,
  },
  {
    key: 'person',
    label: `PersonPage, ${number(keys.people.length)} random slugs`,
    query: contract('person-page.graphql'),
    keys: keys.people,
    variables: (slug) => ({ slug }),
    check: (data) => data?.personBySlug?.appearances?.length > 0,
  },
];

/** Seeded shuffle, so that every run (and both modes) asks for the same pages. */
const shuffled = (list, seed) => {
  const copy = [...list];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

/** Up to `pages` slugs that exist: published workshops, and people who appear on one; list pages 1-10. */
const keysOf = (dataset, pages, seed) => {
  const appearing = new Set(dataset.workshops.flatMap((w) => [...w.organizers, ...w.speakers].map((credit) => credit.person)));
  const listPages = Math.max(1, Math.min(10, Math.ceil(dataset.workshops.length / 25)));
  return {
    workshops: shuffled(dataset.workshops.map((workshop) => workshop.slug), seed).slice(0, pages),
    people: shuffled([...appearing].sort((a, b) => a - b).map((index) => dataset.people[index].slug), seed).slice(0, pages),
    listPages: Array.from({ length: listPages }, (_, i) => i + 1),
  };
};

// Accept is part of the response cache's key (Apollo answers by it): the same in autocannon's
// requests as in fetch's (which sends */* when not told), or priming fills entries the load never reads.
const requestOf = (operation) =>
  operation.method === 'GET'
    ? { method: 'GET', path: operation.path }
    : { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', accept: 'application/json' } };
const randomKey = (operation) => (operation.keys ? pick(operation.keys) : undefined);
const bodyOf = (operation, key) => JSON.stringify({ query: operation.query, variables: operation.variables ? operation.variables(key) : {} });

/** One request outside the load (for a random key unless given): status, the x-sql-statements header and the body. */
const send = async (port, operation, key = randomKey(operation)) => {
  const { method, path: urlPath, headers } = requestOf(operation);
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, {
    method,
    headers,
    body: method === 'POST' ? bodyOf(operation, key) : undefined,
    signal: AbortSignal.timeout(30000),
  });
  return { status: response.status, sql: response.headers.get('x-sql-statements'), text: await response.text() };
};

/** Refuses to time an operation that does not answer properly. */
const checkOperation = async (port, operation) => {
  const { status, text } = await send(port, operation);
  if (status < 200 || status > 299) throw new Error(`${operation.label}: HTTP ${status} ${text.slice(0, 300)}`);
  if (!operation.check) return;
  const json = JSON.parse(text);
  if (json.errors) throw new Error(`${operation.label}: ${JSON.stringify(json.errors).slice(0, 300)}`);
  if (!operation.check(json.data)) throw new Error(`${operation.label}: unexpected answer ${text.slice(0, 300)}`);
};

/** Median (and range) of the x-sql-statements header over `count` sequential requests; null without the header. */
const sqlStatements = async (port, operation, count) => {
  const counts = [];
  for (let i = 0; i < count; i += 1) {
    const { sql } = await send(port, operation);
    if (sql === null) return null;
    counts.push(Number(sql));
  }
  counts.sort((a, b) => a - b);
  return { median: counts[Math.floor(counts.length / 2)], min: counts[0], max: counts[counts.length - 1] };
};

/**
 * Requests every key of the operation once, `connections` at a time, for at most `seconds`:
 * before a cached run, so that it measures a warm cache. Returns how many keys were requested.
 */
const prime = async (port, operation, { connections, seconds }) => {
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < operation.keys.length && Date.now() < deadline && !cleaning) await send(port, operation, operation.keys[next++]);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return next;
};

/** autocannon for `seconds` at `connections`; GraphQL answers with "errors" count as errors too. */
const load = (port, operation, { seconds, connections }) =>
  new Promise((resolve, reject) => {
    let graphqlErrors = 0;
    const request = { ...requestOf(operation) };
    if (operation.query) {
      request.setupRequest = (req) => ({ ...req, body: bodyOf(operation, randomKey(operation)) });
      request.onResponse = (status, body) => {
        if (body && body.includes('"errors"')) graphqlErrors += 1;
      };
    }
    let instance;
    const stop = async () => instance?.stop();
    undo.push(stop);
    instance = autocannon(
      { url: `http://127.0.0.1:${port}`, connections, duration: seconds, timeout: 10, requests: [request] },
      (error, result) => {
        forget(stop);
        if (error) reject(error);
        else resolve({ ...result, graphqlErrors });
      }
    );
  });

// ---------------------------------------------------------------- processes

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops a child: SIGTERM, then SIGKILL if it is still there after 15 s. */
const stopChild = async (child) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(15000).then(() => false)])) return;
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(5000)]);
};

const tail = (file, lines = 30) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '');

/**
 * CPU time a process has used, user and system, in ms (/proc/<pid>/stat, in clock ticks);
 * undefined where /proc is missing.
 */
let clockTickMs;
const cpuMsOf = (pid) => {
  try {
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    clockTickMs ??= 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return (Number(fields[11]) + Number(fields[12])) * clockTickMs;
  } catch {
    return undefined;
  }
};

/** Resident memory of a process in MB, now and at its peak (VmRSS and VmHWM); ps where /proc is missing. */
const memoryOf = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    try {
      const rss = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
      return { rss, peak: rss };
    } catch {
      return { rss: 0, peak: 0 };
    }
  }
};

/** Fills the database in a process of its own (bench/generate.js); returns the seconds it took. */
const generate = async (database, options, sizes) => {
  stopIfInterrupted();
  const args = ['--database-url', database.url, '--writer', options.writer, '--seed', String(options.seed)];
  for (const [name, value] of Object.entries(sizes)) args.push(`--${name}`, String(value));
  console.log(`Generating ${sizes.workshops.toLocaleString('en')} workshops into ${database.name} (${options.writer} writer)…`);
  const started = Date.now();
  const child = fork(path.join(__dirname, 'generate.js'), args, { cwd: ROOT, stdio: 'inherit' });
  await holding(() => stopChild(child), async () => {
    const code = await new Promise((resolve) => child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
    if (code !== 0) throw new Error(`bench/generate.js failed (${code})`);
  });
  return (Date.now() - started) / 1000;
};

/** Starts the server (bench/server.js: what `strapi start` runs) on a free port and waits for /_health. */
const startServer = async (database, { cache, label, env: extraEnv = {} }) => {
  stopIfInterrupted();
  const port = await freePort();
  const env = strapiEnv(database.url, {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SQL_COUNT_HEADER: 'true',
    // One client sends everything: keep the limiter's work in every request but never refuse.
    RATE_LIMIT_POINTS: '1000000000',
    RATE_LIMIT_DURATION: '1',
    ...extraEnv,
  });
  if (cache) delete env.RESPONSE_CACHE;
  else env.RESPONSE_CACHE = 'false';
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `server-${label}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = fork(path.join(__dirname, 'server.js'), [], { cwd: ROOT, env, stdio: ['ignore', log, log, 'ipc'] });
  fs.closeSync(log);
  const stop = () => stopChild(child);
  undo.push(stop);
  const release = async () => {
    forget(stop);
    await stop();
  };
  const started = Date.now();
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await release();
      throw new Error(`The server exited during start-up (${child.exitCode ?? child.signalCode}); ${logFile}:\n${tail(logFile)}`);
    }
    if (Date.now() - started > 180000) {
      await release();
      throw new Error(`The server did not answer /_health within 180 s; ${logFile}:\n${tail(logFile)}`);
    }
    const healthy = await fetch(`http://127.0.0.1:${port}/_health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 204, () => false);
    if (healthy) break;
    await sleep(250);
  }
  console.log(`Server ${label} (pid ${child.pid}, port ${port}, RESPONSE_CACHE=${cache ? '(unset: on)' : 'false'}) up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { port, pid: child.pid, release, logFile };
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Measures operations, each on its server: checks each, primes the cache (cached mode), warms
 * each up, then loads them in `--rounds` rounds, each round every operation for `--duration`
 * seconds one after the other. The machine's speed drifts by a fifth and more from one minute to
 * the next (other virtual machines on the host): operations compared within a round met the same
 * conditions, and the median of several rounds is not swayed by one slow spell, as one window
 * per operation was. `entries` are
 * `{ server, operation, ... }`; each row adds the median of its rounds (requests/s, p50, p99)
 * and every round, or the error that stopped it.
 */
const measure = async (entries, options, { primeCache = false } = {}) => {
  stopIfInterrupted();
  const rows = [];
  for (const entry of entries) {
    try {
      await checkOperation(entry.server.port, entry.operation);
      rows.push({ ...entry, rounds: [], rss: 0, primed: null });
    } catch (error) {
      console.error(`  ${error.message}`);
      rows.push({ ...entry, failed: error.message.split('\n')[0] });
    }
  }
  const live = rows.filter((row) => !row.failed);
  let current;
  const sampler = setInterval(() => {
    if (current) current.rss = Math.max(current.rss, memoryOf(current.server.pid).rss);
  }, 200);
  const loadAs = async (row, seconds) => {
    current = row;
    const cpuBefore = cpuMsOf(row.server.pid);
    const result = await load(row.server.port, row.operation, { seconds, connections: options.connections });
    const cpuAfter = cpuMsOf(row.server.pid);
    row.rss = Math.max(row.rss, memoryOf(row.server.pid).rss);
    current = undefined;
    const cpuMs = cpuBefore === undefined || cpuAfter === undefined || !result.requests.total ? undefined : (cpuAfter - cpuBefore) / result.requests.total;
    return { ...result, cpuMs };
  };
  try {
    if (primeCache) {
      for (const row of live.filter(({ operation }) => operation.keys)) {
        row.primed = await prime(row.server.port, row.operation, { connections: options.connections, seconds: PRIME_SECONDS });
        console.log(`  ${row.operation.label}: primed ${row.primed} of ${row.operation.keys.length} keys`);
      }
    }
    if (options.warmup > 0) for (const row of live) await loadAs(row, options.warmup);
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const row of live) {
        stopIfInterrupted();
        const result = await loadAs(row, options.duration);
        row.rounds.push({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.non2xx + result.errors + result.graphqlErrors,
          cpuMs: result.cpuMs,
        });
      }
      console.log(`  round ${round}/${options.rounds}: ${live.map((row) => `${row.name ?? row.operation.key} ${Math.round(row.rounds.at(-1).rps)}`).join(', ')} req/s`);
    }
  } finally {
    clearInterval(sampler);
  }
  for (const row of live) {
    Object.assign(row, {
      rps: median(row.rounds.map((r) => r.rps)),
      p50: median(row.rounds.map((r) => r.p50)),
      p99: median(row.rounds.map((r) => r.p99)),
      cpuMs: row.rounds.every((r) => r.cpuMs !== undefined) ? median(row.rounds.map((r) => r.cpuMs)) : undefined,
      errors: row.rounds.reduce((sum, r) => sum + r.errors, 0),
      sql: await sqlStatements(row.server.port, row.operation, options.sqlSamples),
    });
    console.log(
      `  ${row.name ?? row.operation.label}: ${Math.round(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, SQL ${formatSql(row.sql)}, RSS ${Math.round(row.rss)} MB${row.errors ? `, ${row.errors} errors` : ''}`
    );
  }
  return rows;
};

// ---------------------------------------------------------------- reporting

const formatSql = (sql) => (sql === null ? 'n/a' : sql.min === sql.max ? String(sql.median) : `${sql.median} (${sql.min}-${sql.max})`);
const number = (value, digits = 0) => Number(value).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const roundsOf = (row) => row.rounds.map((r) => number(r.rps)).join(' · ');

const table = (rows) => [
  '| operation | requests/s | p50 ms | p99 ms | server CPU ms / request | SQL statements / request | peak RSS MB | errors | requests/s in each round |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map((row) =>
    row.failed
      ? `| ${row.operation.label} | failed: ${row.failed.replace(/\|/g, '\\|').slice(0, 200)} | | | | | | | |`
      : `| ${row.operation.label} | ${number(row.rps)} | ${row.p50} | ${row.p99} | ${row.cpuMs === undefined ? 'n/a' : number(row.cpuMs, 2)} | ${formatSql(row.sql)} | ${number(row.rss)} | ${row.errors} | ${roundsOf(row)} |`
  ),
];

const sqliteVersion = () => {
  try {
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    const version = db.prepare('SELECT sqlite_version() AS v').get().v;
    db.close();
    return version;
  } catch {
    return 'unknown';
  }
};

const machine = async (options) => {
  const cpus = os.cpus();
  const database = options.sqlite
    ? `SQLite ${sqliteVersion()} (better-sqlite3)`
    : `PostgreSQL ${await withClient(options.databaseUrl, (client) => client.query('SHOW server_version')).then(
        ({ rows }) => rows[0].server_version,
        () => 'unknown'
      )}`;
  const strapiVersion = require('@strapi/strapi/package.json').version;
  return (
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${number(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; ` +
    `Node ${process.version}, Strapi ${strapiVersion}, ${database}; load average ${LOAD_AT_START} when the run started (other work on the machine skews the numbers)`
  );
};

const sizesLine = (sizes) =>
  `${typeof sizes.workshops === 'number' ? number(sizes.workshops) : sizes.workshops} published workshops (each ${sizes.organizers} organizers, ${sizes.speakers} speakers, ${sizes.talks} talks of 1-2 speakers), ` +
  `${number(sizes.people)} people, ${number(sizes.organizations)} organizations, ${sizes.sponsors} sponsors, ${sizes.series} series`;

/**
 * A design bar as the ratio of two rows, `field` (rps, p50, p99) of `a` over that of `b`, round
 * by round (both were measured in every round, one right after the other): the median of the
 * rounds' ratios, and each.
 */
const roundRatios = (a, b, field) =>
  a && b && !a.failed && !b.failed ? a.rounds.map((round, index) => round[field] / b.rounds[index][field]) : null;
const barRow = (label, ratios, target, passes) => {
  if (!ratios) return `| ${label} | n/a | ${target} | | |`;
  const value = median(ratios);
  return `| ${label} | ${value.toFixed(2)} | ${target} | ${passes(value) ? 'met' : '**not met**'} | ${ratios.map((r) => r.toFixed(2)).join(' · ')} |`;
};
const BAR_HEADER = ['| ratio | median of the rounds | target | | each round |', '| --- | ---: | --- | --- | --- |'];

const write = (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  console.log(`\n${text}\nWritten to ${path.relative(process.cwd(), file)}`);
};

// ---------------------------------------------------------------- the compiled project

/** Newest file under src/ and config/, to warn when dist/ is older than the code. */
const newestSource = () => {
  let newest = { file: null, mtime: 0 };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|json)$/.test(entry.name)) {
        const { mtimeMs } = fs.statSync(full);
        if (mtimeMs > newest.mtime) newest = { file: full, mtime: mtimeMs };
      }
    }
  };
  ['src', 'config'].map((dir) => path.join(ROOT, dir)).filter((dir) => fs.existsSync(dir)).forEach(walk);
  return newest;
};

/** Uses dist/ as it is (npm run build / strapi build), compiling only when it is missing or --compile is given. */
const ensureCompiled = async (options) => {
  const index = path.join(ROOT, 'dist', 'src', 'index.js');
  if (options.compile || !fs.existsSync(index)) {
    console.log('Compiling the project into dist/ (compileStrapi)…');
    const { compileStrapi } = require('@strapi/strapi');
    await compileStrapi({ appDir: ROOT });
    return null;
  }
  const newest = newestSource();
  if (newest.mtime > fs.statSync(index).mtimeMs) {
    const note = `dist/ is older than ${path.relative(ROOT, newest.file)}: this measures the last compiled code (run \`npm run build\` or pass --compile)`;
    console.warn(`Warning: ${note}`);
    return note;
  }
  return null;
};

// ---------------------------------------------------------------- the two benchmarks

/** A fresh database for `body`, dropped afterwards (unless --keep), also on errors and Ctrl-C. */
const withDatabase = async (options, label, body) => {
  if (options.sqlite) {
    const database = createSqliteDatabase(label);
    const drop = async () => {
      if (options.keep) console.log(`Kept SQLite database ${database.name}`);
      else dropSqliteDatabase(database);
    };
    return holding(drop, () => body(database));
  }
  const database = await createBenchDatabase(options.databaseUrl, label);
  const drop = async () => {
    if (options.keep) console.log(`Kept database ${database.name}: ${redact(database.url)}`);
    else await dropBenchDatabase(options.databaseUrl, database.name);
  };
  return holding(drop, () => body(database));
};

/** The hostile-requests pass (bench/hostile.js) against a running server; prints its slowest lines. */
const hostilePass = async (server, options) => {
  stopIfInterrupted();
  console.log(`Hostile requests: each sent ${options.hostileRepeat} times, anonymously, /_health polled meanwhile`);
  const result = await runHostile({
    base: `http://127.0.0.1:${server.port}`,
    repeat: options.hostileRepeat,
    timeoutSeconds: options.hostileTimeout,
    log: (line) => console.log(line),
    shouldStop: () => Boolean(cleaning),
  });
  for (const line of slowestLines(result)) console.log(line);
  return result;
};

const MODES = [
  { label: 'uncached', title: 'Uncached (server started with RESPONSE_CACHE=false)', cache: false },
  { label: 'cached', title: 'Cached (RESPONSE_CACHE unset: the response cache on)', cache: true },
];

const runDefault = async (options, staleNote) => {
  const sizes = sizesOf(options);
  const dataset = buildDataset(sizes, options.seed);
  const operations = operationsFor(keysOf(dataset, options.pages, options.seed));
  const results = {};
  const memory = {};
  let hostile;
  const generation = await withDatabase(options, 'run', async (database) => {
    const seconds = await generate(database, options, sizes);
    for (const mode of MODES) {
      const server = await startServer(database, mode);
      await holding(server.release, async () => {
        console.log(`${mode.title}: ${options.rounds} rounds of ${options.duration} s per operation, ${options.connections} connections`);
        results[mode.label] = await measure(
          operations.map((operation) => ({ server, operation })),
          options,
          { primeCache: mode.cache }
        );
        memory[mode.label] = memoryOf(server.pid).peak;
        // On the uncached server, after its measurements (a cached server would answer the
        // repeats of the accepted GraphQL requests from its cache).
        if (!mode.cache) hostile = await hostilePass(server, options);
      });
    }
    return seconds;
  });

  const row = (mode, key) => results[mode].find(({ operation }) => operation.key === key);
  const lines = [
    '# Benchmark results',
    '',
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Machine: ${await machine(options)}`,
    `- Data: ${sizesLine(sizes)}; generated in ${generation.toFixed(1)} s (${options.writer} writer, seed ${options.seed})`,
    `- Load: autocannon on 127.0.0.1, ${options.connections} connections; after ${options.warmup} s of warm-up per operation, ${options.rounds} rounds, ` +
      `each of ${options.duration} s per operation, one operation after the other; requests/s, p50 and p99: the median of the rounds; ` +
      `one server process per mode (\`strapi start\`, NODE_OPTIONS=${serverNodeOptions()} as \`npm run start\` sets it, NODE_ENV=production, LOG_LEVEL=warn, rate limit raised out of reach), PostgreSQL on the same machine`,
    `- SQL statements / request: the server's \`x-sql-statements\` header (SQL_COUNT_HEADER=true) over ${options.sqlSamples} sequential requests after the run: median (min-max)`,
    '- Peak RSS: the server process, sampled every 200 ms while that operation ran (warm-up and rounds)',
    "- Server CPU ms / request: the server process's user and system CPU time in a round (/proc/<pid>/stat) over the requests it answered then; the median of the rounds. It leaves out PostgreSQL's and autocannon's share of the machine",
    ...(staleNote ? [`- **Warning:** ${staleNote}`] : []),
    '',
  ];
  for (const mode of MODES) {
    const primed = results[mode.label].filter((row) => row.primed !== null && row.primed !== undefined);
    lines.push(`## ${mode.title}`, '', ...table(results[mode.label]), '', `Server peak RSS since start-up (VmHWM): ${number(memory[mode.label])} MB`, '');
    if (primed.length > 0) {
      const counts = primed.map((row) => `${row.operation.key} ${number(row.primed)}/${number(row.operation.keys.length)}`).join(', ');
      lines.push(`Before the warm-ups, each slug or page of the page operations was requested once to fill the cache (at most ${PRIME_SECONDS} s per operation): ${counts}.`, '');
    }
  }
  lines.push(
    '## Design bars',
    '',
    'Each ratio is taken round by round, between operations measured one right after the other on the same server.',
    '',
    ...BAR_HEADER,
    barRow('workshop page / `{ __typename }` throughput, uncached', roundRatios(row('uncached', 'workshop'), row('uncached', 'typename'), 'rps'), '≥ 0.5', (v) => v >= 0.5),
    barRow('workshop page / `/_health` throughput, cached', roundRatios(row('cached', 'workshop'), row('cached', 'health'), 'rps'), '≥ 0.5', (v) => v >= 0.5),
    barRow('WorkshopList / `{ __typename }` throughput, uncached', roundRatios(row('uncached', 'list'), row('uncached', 'typename'), 'rps'), '≥ 0.5', (v) => v >= 0.5),
    barRow('PersonPage / `{ __typename }` throughput, uncached', roundRatios(row('uncached', 'person'), row('uncached', 'typename'), 'rps'), '≥ 0.5', (v) => v >= 0.5),
    '',
    ...hostileSection(hostile, { title: '## Hostile requests (uncached server, after its measurements)', database: 'PostgreSQL' })
  );
  write(path.resolve(options.output || path.join(__dirname, 'results.md')), lines.join('\n'));
  return Object.values(results).flat().some((row) => row.failed || row.errors > 0) || hostile.summary.unexpected.length > 0;
};

/** `--hostile`: a database (PostgreSQL, or SQLite with --sqlite), an uncached server, the hostile pass alone. */
const runHostileOnly = async (options, staleNote) => {
  const sizes = sizesOf(options);
  const kind = options.sqlite ? 'SQLite' : 'PostgreSQL';
  let hostile;
  const generation = await withDatabase(options, 'hostile', async (database) => {
    const seconds = await generate(database, options, sizes);
    const server = await startServer(database, { cache: false, label: `hostile-${options.sqlite ? 'sqlite' : 'postgres'}` });
    await holding(server.release, async () => {
      hostile = await hostilePass(server, options);
    });
    return seconds;
  });
  const lines = [
    `# Benchmark results: hostile requests on ${kind}`,
    '',
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Machine: ${await machine(options)}`,
    `- Data: ${sizesLine(sizes)}; generated in ${generation.toFixed(1)} s (${options.writer} writer, seed ${options.seed}) into a fresh ${options.sqlite ? 'SQLite file' : 'PostgreSQL database'}`,
    '- Server: `strapi start` (bench/server.js), NODE_ENV=production, LOG_LEVEL=warn, RESPONSE_CACHE=false, rate limit raised out of reach',
    ...(staleNote ? [`- **Warning:** ${staleNote}`] : []),
    '',
    ...hostileSection(hostile, { database: kind }),
  ];
  const file = options.output || path.join(__dirname, options.sqlite ? 'results-hostile-sqlite.md' : 'results-hostile.md');
  write(path.resolve(file), lines.join('\n'));
  return hostile.summary.unexpected.length > 0;
};

/**
 * One database and server per size, all up at once, so that the sizes are measured round by
 * round under the same conditions.
 */
const runScaling = async (options, staleNote) => {
  const sizesList = options.scalingSizes.split(',').map(Number);
  const entries = [];
  const withSizes = async (index) => {
    if (index === sizesList.length) return measure(entries, options);
    const workshops = sizesList[index];
    const sizes = { ...sizesOf(options), workshops };
    const [operation] = operationsFor(keysOf(buildDataset(sizes, options.seed), Infinity, options.seed)).filter((op) => op.key === 'workshop');
    return withDatabase(options, `scaling_${workshops}`, async (database) => {
      const generation = await generate(database, options, sizes);
      const server = await startServer(database, { label: `scaling-${workshops}`, cache: false });
      entries.push({ server, operation, workshops, generation, name: `${number(workshops)} workshops` });
      return holding(server.release, () => withSizes(index + 1));
    });
  };
  const rows = await withSizes(0);
  const [small, large] = [rows[0], rows[rows.length - 1]];
  const lines = [
    '# Benchmark results: workshop page latency against database size',
    '',
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Machine: ${await machine(options)}`,
    `- Data at each size: ${sizesLine({ ...sizesOf(options), workshops: 'N' })}`,
    `- Load: WorkshopPage over random slugs of all the workshops, uncached (RESPONSE_CACHE=false), one server per size, all up at once; autocannon on 127.0.0.1, ` +
      `${options.connections} connections; after ${options.warmup} s of warm-up per size, ${options.rounds} rounds, each of ${options.duration} s per size, ` +
      'one size after the other; requests/s, p50 and p99: the median of the rounds',
    ...(staleNote ? [`- **Warning:** ${staleNote}`] : []),
    '',
    '| workshops | requests/s | p50 ms | p99 ms | SQL statements / request | peak RSS MB | errors | generated in | requests/s in each round |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((row) =>
      row.failed
        ? `| ${number(row.workshops)} | failed: ${row.failed.slice(0, 200)} | | | | | | | |`
        : `| ${number(row.workshops)} | ${number(row.rps)} | ${row.p50} | ${row.p99} | ${formatSql(row.sql)} | ${number(row.rss)} | ${row.errors} | ${row.generation.toFixed(1)} s | ${roundsOf(row)} |`
    ),
    '',
    ...BAR_HEADER,
    barRow(`p50 at ${number(large.workshops)} / p50 at ${number(small.workshops)} workshops`, roundRatios(large, small, 'p50'), '≤ 1.5', (v) => v <= 1.5),
    barRow(`p99 at ${number(large.workshops)} / p99 at ${number(small.workshops)} workshops`, roundRatios(large, small, 'p99'), '≤ 1.5', (v) => v <= 1.5),
    '',
  ];
  write(path.resolve(options.output || path.join(__dirname, 'results-scaling.md')), lines.join('\n'));
  return rows.some((row) => row.failed || row.errors > 0);
};

const main = async () => {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.sqlite) console.log(`SQLite: a fresh file under ${os.tmpdir()}`);
  else {
    console.log(`PostgreSQL server: ${redact(options.databaseUrl)}`);
    const leftovers = await withClient(options.databaseUrl, (client) =>
      client.query("SELECT datname FROM pg_database WHERE datname LIKE 'ipam\\_bench\\_%' ORDER BY 1")
    ).then(({ rows }) => rows.map((row) => row.datname));
    if (leftovers.length > 0) {
      console.log(`Note: bench databases already on this server (another run, or one that was killed): ${leftovers.join(', ')}`);
    }
  }
  const staleNote = await ensureCompiled(options);
  const failures = options.editing
    ? await runEditing(options, staleNote, {
        sizesOf, buildDataset, operationsFor, keysOf, withDatabase, generate, startServer, holding, freePort, checkOperation, prime, bodyOf, requestOf,
        undo, forget, stopIfInterrupted, median, number, write, machine, sizesLine, PRIME_SECONDS,
      })
    : await (options.scaling ? runScaling : options.hostile ? runHostileOnly : runDefault)(options, staleNote);
  if (failures) console.error('Some operations failed or answered with errors: see the table.');
  return failures ? 1 : 0;
};

main()
  .then(
    async (code) => {
      await cleanUp();
      process.exit(code);
    },
    async (error) => {
      console.error(error.stack || error.message);
      await cleanUp();
      process.exit(1);
    }
  );
