// Starts the compiled project (dist/, from tests/helpers/global-setup.js) as `strapi start` does,
// in a process of its own, so that tests can send it signals and watch it exit. Configured by
// the environment the test passes (DATABASE_URL, PORT, secrets...).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..', '..', '..');
// With PORT=0 the system gives the server a free port as it binds it; this line says which
// (tests/faults/support/strapi-process.ts reads it).
createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false })
  .start()
  .then((strapi) => {
    const address = strapi.server.httpServer.address();
    if (address && typeof address === 'object') console.log(`Listening on port ${address.port}`);
  });
