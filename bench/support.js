// What the benchmark's scripts share: command-line options, the environment a Strapi process of
// the benchmark gets, the benchmark's own databases (PostgreSQL, or a fresh SQLite file with
// --sqlite), filling one, and an uncached server on one.
const { fork } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Client } = require('pg');
const { freshSecrets } = require('../scripts/ensure-dev-env');

const ROOT = path.join(__dirname, '..');
const SIZE_DEFAULTS = { workshops: 1000, people: 5000, organizations: 300, sponsors: 20, series: 10, organizers: 5, speakers: 15, talks: 20 };
const DEFAULTS = {
  ...SIZE_DEFAULTS,
  seed: 1,
  duration: 5,
  rounds: 5,
  connections: 10,
  warmup: 3,
  pages: 1000,
  sqlSamples: 7,
  writer: 'bulk',
  databaseUrl: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  output: '',
  keep: false,
  compile: false,
  scaling: false,
  scalingSizes: '100,10000',
  hostile: false,
  editing: false,
  sqlite: false,
  hostileRepeat: 3,
  hostileTimeout: 20,
  dump: '',
  help: false,
};
const BOOLEAN = new Set(['keep', 'compile', 'scaling', 'hostile', 'editing', 'sqlite', 'help']);
const STRING = new Set(['writer', 'databaseUrl', 'output', 'dump', 'scalingSizes']);

const USAGE = `npm run bench -- [options]

  --workshops N       published workshops to generate (${DEFAULTS.workshops})
  --people N          people (${DEFAULTS.people})        --organizations N   (${DEFAULTS.organizations})
  --sponsors N        (${DEFAULTS.sponsors})                  --series N          (${DEFAULTS.series})
  --organizers N      per workshop (${DEFAULTS.organizers})        --speakers N        per workshop (${DEFAULTS.speakers})
  --talks N           per workshop (${DEFAULTS.talks})       --seed N            data generator seed (${DEFAULTS.seed})
  --rounds N          rounds per mode; each round loads every operation in turn (${DEFAULTS.rounds})
  --duration S        seconds per operation and round (${DEFAULTS.duration})
  --warmup S          seconds of load per operation before the rounds, not counted (${DEFAULTS.warmup})
  --connections N     concurrent connections (${DEFAULTS.connections})
  --pages N           distinct slugs the WorkshopPage and PersonPage runs pick from (${DEFAULTS.pages});
                      before a cached run, each is requested once to fill the cache
  --sql-samples N     sequential requests read for x-sql-statements (${DEFAULTS.sqlSamples})
  --writer W          bulk (default; fast) or documents (strapi.documents(...), slow)
  --database-url URL  PostgreSQL server to create the bench database on
                      (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
  --output FILE       results file (bench/results.md; bench/results-scaling.md with --scaling)
  --keep              keep the bench database(s) instead of dropping them
  --compile           compile the TypeScript project (compileStrapi) first; otherwise only when dist/ is missing
  --scaling           latency vs size instead: the uncached workshop page on databases of
                      --scaling-sizes (${DEFAULTS.scalingSizes}) workshops
  --hostile           only the hostile-requests pass (bench/hostile.js), on an uncached server;
                      writes bench/results-hostile[-sqlite].md. The default run ends with it too.
  --editing           instead: readers of the page operations on a cached server while staff
                      save a draft every 2 s and publish every 20 s (REST), against the same
                      readers alone, round by round (--rounds; 20 s + 40 s each); then Varnish
                      (deploy/varnish/default.vcl) in front; writes bench/results-editing.md
  --sqlite            with --hostile: generate into a fresh SQLite file (under the system's temp
                      directory, deleted afterwards unless --keep) instead of PostgreSQL
  --hostile-repeat N  times each hostile request is sent (${DEFAULTS.hostileRepeat})
  --hostile-timeout S a hostile request's client timeout; one that takes longer is not repeated (${DEFAULTS.hostileTimeout})
`;

const camel = (flag) => flag.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

/** --name value / --name=value / --flag → options; unknown flags and bad numbers are errors. */
const parseOptions = (argv) => {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unexpected argument "${argv[i]}"\n\n${USAGE}`);
    const name = camel(match[1]);
    if (!(name in DEFAULTS)) throw new Error(`Unknown option --${match[1]}\n\n${USAGE}`);
    if (BOOLEAN.has(name)) {
      options[name] = match[2] === undefined ? true : match[2] !== 'false';
      continue;
    }
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    if (STRING.has(name)) options[name] = value;
    else {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0 || (!['duration', 'warmup'].includes(name) && !Number.isInteger(number))) throw new Error(`--${match[1]}: "${value}" is not a valid number`);
      options[name] = number;
    }
  }
  if (options.duration <= 0 || options.connections < 1 || options.rounds < 1) throw new Error('--duration, --rounds and --connections must be positive');
  if (!/^\d+(,\d+)+$/.test(options.scalingSizes)) throw new Error('--scaling-sizes is a comma-separated list of at least two sizes, e.g. 100,10000');
  if (!['bulk', 'documents'].includes(options.writer)) throw new Error('--writer is bulk or documents');
  if (options.sqlite && (!options.hostile || options.scaling)) throw new Error('--sqlite goes with --hostile (the throughput runs and --scaling are measured on PostgreSQL)');
  if (options.hostileRepeat < 1 || options.hostileTimeout <= 0) throw new Error('--hostile-repeat and --hostile-timeout must be positive');
  if (options.workshops < 1 || options.people < options.organizers + options.speakers) {
    throw new Error(`Need at least one workshop and at least organizers + speakers (${options.organizers + options.speakers}) people`);
  }
  return options;
};

const sizesOf = (options) => Object.fromEntries(Object.keys(SIZE_DEFAULTS).map((key) => [key, options[key]]));


/** `sqlite:/path/to/file.db` → the file; undefined for a PostgreSQL URL. */
const sqliteFileOf = (databaseUrl) => (databaseUrl.startsWith('sqlite:') ? path.resolve(databaseUrl.slice('sqlite:'.length)) : undefined);

/**
 * The Node options of the server, as `npm run start` sets them (package.json's
 * `config.nodeOptions`, then the caller's NODE_OPTIONS, which win): the benchmark measures the
 * process operators run.
 */
const serverNodeOptions = () => [require('../package.json').config.nodeOptions, process.env.NODE_OPTIONS].filter(Boolean).join(' ');

/**
 * Environment of a Strapi process of the benchmark: production, fresh secrets, its database,
 * quiet. A `sqlite:` URL selects config/database.ts's SQLite connection (DATABASE_URL empty,
 * DATABASE_FILENAME the file).
 */
const strapiEnv = (databaseUrl, extra = {}) => {
  const sqliteFile = sqliteFileOf(databaseUrl);
  return {
    ...process.env,
    NODE_OPTIONS: serverNodeOptions(),
    NODE_ENV: 'production',
    STRAPI_TELEMETRY_DISABLED: 'true',
    LOG_LEVEL: 'warn',
    SEED_ON_EMPTY_DATABASE: 'false',
    ...freshSecrets(),
    ...(sqliteFile ? { DATABASE_URL: '', DATABASE_FILENAME: sqliteFile } : { DATABASE_URL: databaseUrl }),
    DATABASE_SSL: 'false',
    // Production refuses to start without one (src/environment/secrets.ts); run.js names its port.
    PUBLIC_URL: 'http://127.0.0.1',
    ...extra,
  };
};

const redact = (url) => url.replace(/:[^:@/]*@/, ':***@');

const withClient = async (url, work) => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
};

/** Creates `ipam_bench_<random>` on the server and returns its name and URL. */
const createBenchDatabase = async (serverUrl, label = '') => {
  const name = `ipam_bench_${label ? `${label}_` : ''}${crypto.randomBytes(4).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
};

/** Drops one of our databases; refuses any name the benchmark did not make. */
const dropBenchDatabase = async (serverUrl, name) => {
  if (!/^ipam_bench_[a-z0-9_]+$/.test(name)) throw new Error(`Refusing to drop "${name}": not a bench database`);
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
};

/** A fresh SQLite file in a directory of its own under the system's temp directory: its name and `sqlite:` URL. */
const createSqliteDatabase = (label = '') => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ipam_bench_${label ? `${label}_` : ''}`));
  const file = path.join(dir, 'data.db');
  return { name: file, url: `sqlite:${file}`, dir };
};

/** Deletes a directory createSqliteDatabase made (the file and its -wal / -shm / -journal companions). */
const dropSqliteDatabase = (database) => {
  if (!path.basename(database.dir).startsWith('ipam_bench_') || path.dirname(database.dir) !== path.resolve(os.tmpdir())) {
    throw new Error(`Refusing to delete "${database.dir}": not a bench directory`);
  }
  fs.rmSync(database.dir, { recursive: true, force: true });
};

/**
 * Fills `databaseUrl` with the benchmark's data (bench/generate.js, in a process of its own, its
 * output on ours).
 */
const generateData = async (databaseUrl, options, sizes) => {
  const args = ['--database-url', databaseUrl, '--writer', options.writer, '--seed', String(options.seed)];
  for (const [name, value] of Object.entries(sizes)) args.push(`--${name}`, String(value));
  const generator = fork(path.join(__dirname, 'generate.js'), args, { cwd: ROOT, stdio: 'inherit' });
  const code = await new Promise((resolve) => generator.once('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
  if (code !== 0) throw new Error(`bench/generate.js failed (${code})`);
};

/**
 * Starts bench/server.js on `databaseUrl` with the response cache off and the rate limit out of
 * reach, on a random port of 127.0.0.1; resolves once /_health answers, with the port and a
 * stop() that waits for the exit. `execArgv` goes to Node (e.g. --cpu-prof).
 */
const startUncachedServer = async (databaseUrl, { execArgv = [] } = {}) => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = strapiEnv(databaseUrl, { HOST: '127.0.0.1', PORT: String(port), RESPONSE_CACHE: 'false', RATE_LIMIT_POINTS: '1000000000', RATE_LIMIT_DURATION: '1' });
  const server = fork(path.join(__dirname, 'server.js'), [], { cwd: ROOT, env, execArgv, stdio: 'inherit' });
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  for (let waited = 0; ; waited += 250) {
    if (await fetch(`http://127.0.0.1:${port}/_health`).then((r) => r.status === 204, () => false)) return { port, stop };
    if (waited > 180000 || server.exitCode !== null) {
      await stop();
      throw new Error('The server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

module.exports = {
  generateData,
  startUncachedServer,
  serverNodeOptions,
  USAGE,
  parseOptions,
  sizesOf,
  strapiEnv,
  redact,
  withClient,
  sqliteFileOf,
  createBenchDatabase,
  dropBenchDatabase,
  createSqliteDatabase,
  dropSqliteDatabase,
};
