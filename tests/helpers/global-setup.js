// Compiles the TypeScript project once per test run; each suite then loads dist/ itself.
const { compileStrapi } = require('@strapi/strapi');

module.exports = async () => {
  await compileStrapi({ appDir: process.cwd(), ignoreDiagnostics: false });
};
