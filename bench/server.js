// The server under test: exactly what `strapi start` does (createStrapi({ appDir, distDir }).start()
// on the compiled project), run by bench/run.js through child_process.fork so that it also stops
// when the benchmark goes away without a chance to stop it (the IPC channel then closes).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const root = path.join(__dirname, '..');
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
createStrapi({ appDir: root, distDir: path.join(root, 'dist') }).start();
