// Starts the compiled project (dist/, from tests/helpers/global-setup.js) as `strapi start` does,
// in a process of its own, so that tests can send it signals and watch it exit. Configured by
// the environment the test passes (DATABASE_URL, PORT, secrets...).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..', '..', '..');
createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false }).start();
