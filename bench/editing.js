// `npm run bench -- --editing`: anonymous readers of the contract operations on a cached server
// while staff edit (a draft save every 2 s, a publish every 20 s, over REST with a full-access
// token), against the same readers with nobody editing, round by round in one run; then Varnish
// (deploy/varnish/default.vcl) in front of the same server. See bench/README.md, "Editing".
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');

const VARNISHD = process.env.VARNISHD || '/usr/sbin/varnishd';
const VCL = path.join(__dirname, '..', 'deploy', 'varnish', 'default.vcl');
const DRAFT_EVERY_MS = 2000;
/** Within an editing phase of 40 s, the publishes land at 10 s and 30 s: one per 20 s. */
const PUBLISH_AT_TICKS = new Set([5, 15]);
const PHASE_SECONDS = { readOnly: 20, editing: 40 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (n) => Math.floor(Math.random() * n);

/** An administrator (the first one registers on an empty admin) and a full-access API token, as staff would make them. */
const staffToken = async (base) => {
  const json = async (response, what) => {
    const text = await response.text();
    if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const admin = await json(
    await fetch(`${base}/admin/register-admin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench-editor@example.org', password: 'Bench-editor-1', firstname: 'Bench', lastname: 'Editor' }),
    }),
    'Registering the benchmark administrator'
  );
  const token = await json(
    await fetch(`${base}/admin/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.data.token}` },
      body: JSON.stringify({ name: 'bench editor', description: 'npm run bench -- --editing', type: 'full-access', lifespan: null }),
    }),
    'Creating the full-access token'
  );
  return token.data.accessKey;
};

/**
 * The staff client: every 2 s a draft save of one workshop's summary (PUT ?status=draft), twice
 * per 40 s phase a publish of an edit (PUT ?status=published) of that workshop, then on to
 * another. Returns `stop()`, which resolves to what it did and how long its writes took.
 */
const startEditor = ({ base, token, slugs }) => {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const done = { drafts: 0, publishes: 0, failures: [], draftMs: [], publishMs: [] };
  let stopped = false;
  let current;
  const open = async () => {
    const slug = slugs[random(slugs.length)];
    const response = await fetch(`${base}/api/workshops?status=draft&filters[slug][$eq]=${encodeURIComponent(slug)}&fields[0]=summary`, { headers });
    const body = await response.json();
    if (!response.ok || !body.data?.[0]) throw new Error(`Opening ${slug}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    return { documentId: body.data[0].documentId, slug, edits: 0 };
  };
  const save = async (status) => {
    current ??= await open();
    current.edits += 1;
    const started = Date.now();
    const response = await fetch(`${base}/api/workshops/${current.documentId}?status=${status}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ data: { summary: `Edited by the benchmark (${status}, edit ${current.edits}, ${new Date().toISOString()}).` } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${status} of ${current.slug}: HTTP ${response.status} ${text.slice(0, 200)}`);
    (status === 'published' ? done.publishMs : done.draftMs).push(Date.now() - started);
    if (status === 'published') {
      done.publishes += 1;
      current = undefined; // the next edit is of another workshop
    } else done.drafts += 1;
  };
  const loop = (async () => {
    for (let tick = 1; !stopped; tick += 1) {
      const due = Date.now() + DRAFT_EVERY_MS;
      await sleep(DRAFT_EVERY_MS);
      if (stopped) break;
      await save(PUBLISH_AT_TICKS.has(tick) ? 'published' : 'draft').catch((error) => done.failures.push(error.message));
      // A save slower than 2 s delays the next one, never doubles up.
      if (Date.now() < due) await sleep(due - Date.now());
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return done;
  };
};

/**
 * Readers: one autocannon over the page operations, each request a random operation with a
 * random slug or page; counts the answers and the X-Cache: HIT among them, per operation.
 */
const readers = (port, operations, { seconds, connections, bodyOf, requestOf, undo, forget }) =>
  new Promise((resolve, reject) => {
    const counts = Object.fromEntries(operations.map((op) => [op.key, { answers: 0, hits: 0 }]));
    let graphqlErrors = 0;
    const request = {
      ...requestOf(operations[0]),
      setupRequest: (req, context) => {
        const operation = operations[random(operations.length)];
        context.operation = operation.key;
        return { ...req, body: bodyOf(operation, operation.keys[random(operation.keys.length)]) };
      },
      onResponse: (status, body, context, responseHeaders) => {
        const count = counts[context.operation];
        count.answers += 1;
        const verdict = Object.entries(responseHeaders).find(([name]) => name.toLowerCase() === 'x-cache')?.[1];
        if (verdict === 'HIT') count.hits += 1;
        if (body && body.includes('"errors"')) graphqlErrors += 1;
      },
    };
    let instance;
    const stop = async () => instance?.stop();
    undo.push(stop);
    instance = autocannon({ url: `http://127.0.0.1:${port}`, connections, duration: seconds, timeout: 10, requests: [request] }, (error, result) => {
      forget(stop);
      if (error) return reject(error);
      const answers = Object.values(counts).reduce((sum, c) => sum + c.answers, 0);
      const hits = Object.values(counts).reduce((sum, c) => sum + c.hits, 0);
      resolve({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.non2xx + result.errors + result.timeouts + graphqlErrors,
        answers,
        hits,
        counts,
      });
    });
  });

/** Plain autocannon on one URL (GET): requests/s. */
const getLoad = (url, { seconds, connections, undo, forget }) =>
  new Promise((resolve, reject) => {
    let instance;
    const stop = async () => instance?.stop();
    undo.push(stop);
    instance = autocannon({ url, connections, duration: seconds, timeout: 10 }, (error, result) => {
      forget(stop);
      if (error) reject(error);
      else resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts });
    });
  });

/** varnishd in the foreground with deploy/varnish/default.vcl, its backend the server's port. */
const startVarnish = async (backendPort, port) => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam_bench_varnish_'));
  fs.chmodSync(workDir, 0o755); // varnishd reads the VCL as its own unprivileged user
  const vcl = path.join(workDir, 'default.vcl');
  const source = fs.readFileSync(VCL, 'utf8');
  if (!source.includes('.port = "1337";')) throw new Error(`${VCL}: no backend port "1337" to replace`);
  fs.writeFileSync(vcl, source.replace('.port = "1337";', `.port = "${backendPort}";`));
  let output = '';
  const child = spawn(VARNISHD, ['-F', '-n', path.join(workDir, 'instance'), '-a', `127.0.0.1:${port}`, '-f', vcl, '-s', 'malloc,256m', '-T', 'none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10000)]);
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  for (let waited = 0; ; waited += 100) {
    const up = await fetch(`http://127.0.0.1:${port}/_health`, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false);
    if (up) break;
    if (waited > 20000 || child.exitCode !== null) {
      await stop();
      throw new Error(`varnishd did not start:\n${output}`);
    }
    await sleep(100);
  }
  return { port, stop, output: () => output };
};

/** The answers vary by Accept (Vary: Accept): the same one for filling Varnish and loading it. */
const ACCEPT = { accept: 'application/json' };
const pageGetPath = (operation, key) =>
  `/graphql?query=${encodeURIComponent(operation.query)}&variables=${encodeURIComponent(JSON.stringify(operation.variables(key)))}`;

const percent = (hits, answers) => (answers ? (100 * hits) / answers : 0);

/**
 * The editing benchmark. `tools` are run.js's helpers (processes, clean-up, operations,
 * reporting), passed in rather than duplicated.
 */
const runEditing = async (options, staleNote, tools) => {
  const { sizesOf, buildDataset, operationsFor, keysOf, withDatabase, generate, startServer, holding, freePort, checkOperation, prime, bodyOf, requestOf, undo, forget } = tools;
  const { stopIfInterrupted, median, number, write, machine, sizesLine, PRIME_SECONDS } = tools;
  const sizes = sizesOf(options);
  const dataset = buildDataset(sizes, options.seed);
  const keys = keysOf(dataset, options.pages, options.seed);
  const all = operationsFor(keys);
  const pages = all.filter((operation) => operation.keys);
  const workshopPage = all.find((operation) => operation.key === 'workshop');
  const connections = options.connections;
  const loadOptions = { connections, bodyOf, requestOf, undo, forget };
  const rounds = [];
  const varnishRounds = [];
  const editors = [];
  let primed;
  let varnishNote = null;

  const generation = await withDatabase(options, 'editing', async (database) => {
    const seconds = await generate(database, options, sizes);
    const varnishPort = await freePort();
    const useVarnish = fs.existsSync(VARNISHD);
    if (!useVarnish) varnishNote = `${VARNISHD} not found (set VARNISHD): the Varnish bar was not measured`;
    const server = await startServer(database, {
      cache: true,
      label: 'editing',
      env: useVarnish ? { HTTP_CACHE_SHARED_MAX_AGE: '300', CDN_VARNISH_URLS: `http://127.0.0.1:${varnishPort}/` } : {},
    });
    await holding(server.release, async () => {
      const base = `http://127.0.0.1:${server.port}`;
      const varnish = useVarnish ? await startVarnish(server.port, varnishPort) : undefined;
      const release = varnish ? varnish.stop : async () => {};
      await holding(release, async () => {
        const token = await staffToken(base);
        for (const operation of pages) await checkOperation(server.port, operation);
        primed = {};
        for (const operation of pages) {
          primed[operation.key] = await prime(server.port, operation, { connections, seconds: PRIME_SECONDS });
          console.log(`  ${operation.label}: primed ${primed[operation.key]} of ${operation.keys.length} keys`);
        }
        if (options.warmup > 0) await readers(server.port, pages, { ...loadOptions, seconds: options.warmup });
        for (let round = 1; round <= options.rounds; round += 1) {
          stopIfInterrupted();
          const readOnly = await readers(server.port, pages, { ...loadOptions, seconds: PHASE_SECONDS.readOnly });
          const stopEditor = startEditor({ base, token, slugs: keys.workshops });
          const editing = await readers(server.port, pages, { ...loadOptions, seconds: PHASE_SECONDS.editing }).finally(async () => editors.push(await stopEditor()));
          const editor = editors.at(-1);
          rounds.push({ readOnly, editing, editor });
          console.log(
            `  round ${round}/${options.rounds}: read-only ${Math.round(readOnly.rps)} req/s (hit ${percent(readOnly.hits, readOnly.answers).toFixed(1)}%), ` +
              `editing ${Math.round(editing.rps)} req/s (hit ${percent(editing.hits, editing.answers).toFixed(1)}%; ${editor.drafts} drafts, ${editor.publishes} publishes` +
              `${editor.failures.length ? `, ${editor.failures.length} failed: ${editor.failures[0]}` : ''})`
          );
        }
        if (varnish) {
          stopIfInterrupted();
          // Fill Varnish: each workshop page once by GET (from the response cache or computed).
          let next = 0;
          const fill = async () => {
            while (next < workshopPage.keys.length) {
              const response = await fetch(`http://127.0.0.1:${varnish.port}${pageGetPath(workshopPage, workshopPage.keys[next++])}`, { headers: ACCEPT });
              await response.text();
            }
          };
          await Promise.all(Array.from({ length: connections }, fill));
          const probe = await fetch(`http://127.0.0.1:${varnish.port}${pageGetPath(workshopPage, workshopPage.keys[0])}`, { headers: ACCEPT });
          await probe.text();
          if (probe.headers.get('x-varnish-cache') !== 'HIT') throw new Error(`Varnish did not cache the workshop page (X-Varnish-Cache: ${probe.headers.get('x-varnish-cache')}, Cache-Control: ${probe.headers.get('cache-control')})`);
          const varnishPages = () => {
            // autocannon's requests: a random workshop page per request, by GET through Varnish.
            const paths = workshopPage.keys.map((key) => pageGetPath(workshopPage, key));
            return [{ method: 'GET', headers: ACCEPT, setupRequest: (req) => ({ ...req, path: paths[random(paths.length)] }) }];
          };
          const runVarnish = (seconds) =>
            new Promise((resolve, reject) => {
              let instance;
              const stop = async () => instance?.stop();
              undo.push(stop);
              instance = autocannon({ url: `http://127.0.0.1:${varnish.port}`, connections, duration: seconds, timeout: 10, requests: varnishPages() }, (error, result) => {
                forget(stop);
                if (error) reject(error);
                else resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts });
              });
            });
          await runVarnish(options.warmup || 1);
          for (let round = 1; round <= options.rounds; round += 1) {
            stopIfInterrupted();
            const page = await runVarnish(options.duration);
            const health = await getLoad(`${base}/_health`, { ...loadOptions, seconds: options.duration });
            varnishRounds.push({ page, health });
            console.log(`  Varnish round ${round}/${options.rounds}: workshop page through Varnish ${Math.round(page.rps)} req/s, Node /_health ${Math.round(health.rps)} req/s`);
          }
        }
      });
    });
    return seconds;
  });

  // ---------------------------------------------------------------- report
  const sum = (list, pick) => list.reduce((total, item) => total + pick(item), 0);
  const phase = (name) => rounds.map((round) => round[name]);
  const hitRate = (list) => percent(sum(list, (r) => r.hits), sum(list, (r) => r.answers));
  const editingHitRate = hitRate(phase('editing'));
  const throughputRatios = rounds.map((round) => round.editing.rps / round.readOnly.rps);
  const varnishRatios = varnishRounds.map((round) => round.page.rps / round.health.rps);
  const verdict = (ok) => (ok ? 'met' : '**not met**');
  const perOperation = (list) =>
    pages
      .map((operation) => {
        const answers = sum(list, (r) => r.counts[operation.key].answers);
        const hits = sum(list, (r) => r.counts[operation.key].hits);
        return `${operation.key} ${percent(hits, answers).toFixed(1)}% of ${number(answers)} (${number(answers - hits)} misses)`;
      })
      .join('; ');
  const editorTotals = {
    drafts: sum(editors, (e) => e.drafts),
    publishes: sum(editors, (e) => e.publishes),
    failures: editors.flatMap((e) => e.failures),
    draftMs: median(editors.flatMap((e) => e.draftMs)),
    publishMs: median(editors.flatMap((e) => e.publishMs)),
  };
  const phaseRow = (name, list) =>
    `| ${name} | ${number(median(list.map((r) => r.rps)))} | ${median(list.map((r) => r.p50))} | ${median(list.map((r) => r.p99))} | ${hitRate(list).toFixed(1)}% | ${number(sum(list, (r) => r.answers))} | ${sum(list, (r) => r.errors)} | ${list.map((r) => `${number(r.rps)} (${percent(r.hits, r.answers).toFixed(1)}%)`).join(' · ')} |`;
  const lines = [
    '# Benchmark results: readers while staff edit',
    '',
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Command: \`npm run bench -- --editing${process.argv.slice(2).filter((a) => a !== '--editing').map((a) => ` ${a}`).join('')}\``,
    `- Machine: ${await machine(options)}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} when it ended`,
    `- Data: ${sizesLine(sizes)}; generated in ${generation.toFixed(1)} s (${options.writer} writer, seed ${options.seed})`,
    `- Readers: one autocannon, ${connections} connections, anonymous POST /graphql, each request one of ${pages.map((op) => op.label).join('; ')} at random; ` +
      `the response cache on (RESPONSE_CACHE unset, its TTL 300 s); before the rounds every slug and page was requested once (${pages.map((op) => `${op.key} ${number(primed?.[op.key] ?? 0)}/${number(op.keys.length)}`).join(', ')}) and the readers ran ${options.warmup} s`,
    `- Rounds: ${options.rounds}, each ${PHASE_SECONDS.readOnly} s of readers alone, then ${PHASE_SECONDS.editing} s of readers while the staff client (REST, a full-access token) saves a draft of a workshop's summary every 2 s ` +
      `(\`PUT /api/workshops/:documentId?status=draft\`) and publishes an edit every 20 s (\`?status=published\`, at 10 s and 30 s of the phase), then edits another workshop`,
    `- Hit rate: answers with \`X-Cache: HIT\` over all answers the readers got`,
    ...(staleNote ? [`- **Warning:** ${staleNote}`] : []),
    ...(varnishNote ? [`- **Note:** ${varnishNote}`] : []),
    '',
    '## Readers',
    '',
    '| phase | requests/s | p50 ms | p99 ms | hit rate | answers | errors | requests/s (hit rate) in each round |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    phaseRow('read-only (nobody editing)', phase('readOnly')),
    phaseRow('while staff edit', phase('editing')),
    '',
    `Hit rate by operation, read-only: ${perOperation(phase('readOnly'))}.`,
    '',
    `Hit rate by operation, while staff edit: ${perOperation(phase('editing'))}.`,
    '',
    `Staff client: ${editorTotals.drafts} draft saves (median ${editorTotals.draftMs} ms), ${editorTotals.publishes} publishes (median ${editorTotals.publishMs} ms)` +
      `${editorTotals.failures.length ? `, **${editorTotals.failures.length} failed**: ${editorTotals.failures.slice(0, 3).join('; ')}` : ', none failed'}.`,
    '',
  ];
  if (varnishRounds.length) {
    lines.push(
      '## Varnish in front',
      '',
      `varnishd (${VARNISHD}) with deploy/varnish/default.vcl (its backend port set to the server's), the server started with HTTP_CACHE_SHARED_MAX_AGE=300 and CDN_VARNISH_URLS pointing at it; ` +
        `every workshop page requested once through it (GET /graphql?query=…&variables=…), then in each round, one after the other for ${options.duration} s each, ${connections} connections: ` +
        `WorkshopPage over random slugs by GET through Varnish, and \`GET /_health\` of the Node server directly.`,
      '',
      '| | requests/s | p50 ms | p99 ms | errors | requests/s in each round |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...[
        ['WorkshopPage through Varnish', varnishRounds.map((r) => r.page)],
        ['`GET /_health`, Node', varnishRounds.map((r) => r.health)],
      ].map(([name, list]) => `| ${name} | ${number(median(list.map((r) => r.rps)))} | ${median(list.map((r) => r.p50))} | ${median(list.map((r) => r.p99))} | ${sum(list, (r) => r.errors)} | ${list.map((r) => number(r.rps)).join(' · ')} |`),
      ''
    );
  }
  lines.push(
    '## Bars',
    '',
    '| bar | value | target | | each round |',
    '| --- | ---: | --- | --- | --- |',
    `| hit rate of the readers while staff edit | ${editingHitRate.toFixed(1)}% | ≥ 95% | ${verdict(editingHitRate >= 95)} | ${phase('editing').map((r) => `${percent(r.hits, r.answers).toFixed(1)}%`).join(' · ')} |`,
    `| readers' throughput while staff edit / read-only (median of the rounds) | ${median(throughputRatios).toFixed(2)} | ≥ 0.80 | ${verdict(median(throughputRatios) >= 0.8)} | ${throughputRatios.map((r) => r.toFixed(2)).join(' · ')} |`,
    varnishRounds.length
      ? `| cached WorkshopPage through Varnish / Node's \`/_health\` (median of the rounds) | ${median(varnishRatios).toFixed(2)} | ≥ 5 | ${verdict(median(varnishRatios) >= 5)} | ${varnishRatios.map((r) => r.toFixed(2)).join(' · ')} |`
      : '| cached WorkshopPage through Varnish / `/_health` | n/a | ≥ 5 | not measured | |',
    ''
  );
  write(path.resolve(options.output || path.join(__dirname, 'results-editing.md')), lines.join('\n'));
  const errors = sum(rounds, (r) => r.readOnly.errors + r.editing.errors) + sum(varnishRounds, (r) => r.page.errors + r.health.errors);
  return errors > 0 || editorTotals.failures.length > 0;
};

module.exports = { runEditing };
