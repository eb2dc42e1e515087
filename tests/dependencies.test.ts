import fs from 'fs';
import path from 'path';

/**
 * Strapi's packages are released together and expect each other at the same version. The one
 * exception: @strapi/provider-upload-aws-s3, whose newest release on the registry is 5.52.3 (no
 * 5.53 or 5.54 was published, while @strapi/provider-upload-local was). A provider is loaded by
 * the upload plugin through its small interface (upload, uploadStream, delete...); the mix is
 * safe only while it requires no other @strapi package, which is checked here.
 */
const root = path.join(__dirname, '..');
const manifest = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const OLDER_RELEASE_ALLOWED = new Set(['@strapi/provider-upload-aws-s3']);

describe('dependencies', () => {
  const project = manifest(path.join(root, 'package.json'));
  const strapiPackages = Object.entries<string>({ ...project.dependencies, ...project.devDependencies }).filter(([name]) => name.startsWith('@strapi/'));
  const core = project.dependencies['@strapi/strapi'];

  it("pins every @strapi package at @strapi/strapi's version, but the S3 provider", () => {
    const others = strapiPackages.filter(([name, version]) => version !== core && !OLDER_RELEASE_ALLOWED.has(name));
    expect(core).toMatch(/^\d+\.\d+\.\d+$/);
    expect(others).toEqual([]);
  });

  it('lets the S3 provider (an older release) require no other @strapi package', () => {
    for (const name of OLDER_RELEASE_ALLOWED) {
      const installed = manifest(path.join(root, 'node_modules', name, 'package.json'));
      expect({ name, version: installed.version }).toEqual({ name, version: project.dependencies[name] });
      const needs = Object.keys({ ...installed.dependencies, ...installed.peerDependencies }).filter((dependency) => dependency.startsWith('@strapi/'));
      expect({ name, needs }).toEqual({ name, needs: [] });
    }
  });
});
