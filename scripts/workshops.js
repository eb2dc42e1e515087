#!/usr/bin/env node
// Workshop files from the command line: boots Strapi (without serving HTTP), runs one command
// of src/workshop-files/cli.ts, and shuts down. Usage: node scripts/workshops.js seed
const path = require('path');
const { ensureDevEnv } = require('./ensure-dev-env');

(async () => {
  // Before Strapi is loaded: it reads .env once, when it is required.
  ensureDevEnv();
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  process.env.SEED_ON_EMPTY_DATABASE = 'false';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
  const app = await createStrapi(await compileStrapi()).load();
  let exitCode = 0;
  try {
    const { runWorkshopsCommand } = require(path.join(app.dirs.dist.src, 'workshop-files', 'cli.js'));
    await runWorkshopsCommand(app, process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    exitCode = 1;
  } finally {
    await app.destroy();
  }
  process.exit(exitCode);
})();
