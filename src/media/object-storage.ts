import type { Core } from '@strapi/strapi';
import { CSP_DEFAULTS } from '@strapi/utils';

/**
 * Where uploads go: S3-compatible object storage when S3_BUCKET is set (what several instances
 * behind a load balancer need: every instance serves every file), public/uploads/ otherwise.
 * Read by config/plugins.ts (the upload provider) and config/middlewares.ts (the admin UI's CSP).
 */

type Env = Core.Config.Shared.ConfigParams['env'];

/** The name Strapi stores in each file's `provider` column; its package is @strapi/provider-upload-aws-s3. */
const OBJECT_STORAGE_PROVIDER = 'aws-s3';

/**
 * Canned ACLs that leave a file readable by everyone, as public pages need. Empty: no ACL header,
 * for buckets with ACLs disabled (AWS's default since 2023, Cloudflare R2), public through a
 * bucket policy or a CDN.
 */
const PUBLIC_ACLS = ['public-read'];

/** A connection that opens more slowly than this counts as failed (the SDK retries twice). */
const CONNECTION_TIMEOUT_MS = 5000;
/** A request whose socket stays silent this long has failed, rather than holding an upload forever. */
const REQUEST_TIMEOUT_MS = 30000;

/** Every variable that describes object storage; S3_BUCKET turns it on. */
export const OBJECT_STORAGE_VARIABLES = [
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_PUBLIC_URL',
  'S3_ROOT_PATH',
  'S3_ACL',
];

export interface ObjectStorage {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** S3_PUBLIC_URL: the base of file URLs (a CDN, a custom domain) instead of the bucket's own address. */
  publicUrl?: string;
  rootPath?: string;
  acl?: string;
}

const absoluteHttpUrl = (name: string, value: string) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, e.g. https://media.example.org (given: "${value}").`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be an http(s) URL (given: "${value}").`);
  return value.replace(/\/+$/, '');
};

/**
 * The object storage the environment describes, or null for local disk (S3_BUCKET empty).
 * A half description stops start-up, naming what is missing, rather than failing at the first upload.
 */
export const objectStorageFrom = (env: Env): ObjectStorage | null => {
  const bucket = env('S3_BUCKET', '').trim();
  if (!bucket) {
    const set = OBJECT_STORAGE_VARIABLES.filter((name) => env(name, '').trim() !== '');
    if (set.length === 0) return null;
    const one = set.length === 1;
    throw new Error(
      `${set.join(', ')} ${one ? 'is' : 'are'} set but S3_BUCKET is not: set S3_BUCKET to store uploads in object storage, ` +
        `or unset ${one ? 'it' : 'them'} to keep them on local disk.`
    );
  }

  const region = env('S3_REGION', '').trim();
  if (!region) {
    throw new Error('S3_BUCKET is set but S3_REGION is not: give the bucket\'s region (e.g. us-west-2; "auto" for Cloudflare R2, us-east-1 for MinIO unless set otherwise).');
  }

  const accessKeyId = env('S3_ACCESS_KEY_ID', '').trim();
  const secretAccessKey = env('S3_SECRET_ACCESS_KEY', '').trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error(
      `${accessKeyId ? 'S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not' : 'S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not'}: ` +
        "give both, or neither to use the AWS SDK's own credentials (an instance role, AWS_ACCESS_KEY_ID...)."
    );
  }

  const acl = env('S3_ACL', '').trim();
  if (acl && !PUBLIC_ACLS.includes(acl)) {
    throw new Error(
      `S3_ACL="${acl}" would keep files from the public pages that show them: use ${PUBLIC_ACLS.join(', ')}, or leave it empty ` +
        '(no ACL; the bucket policy or a CDN in front, with S3_PUBLIC_URL, makes files public).'
    );
  }

  const pathStyle = env('S3_FORCE_PATH_STYLE', '').trim();
  if (pathStyle && pathStyle !== 'true' && pathStyle !== 'false') throw new Error(`S3_FORCE_PATH_STYLE must be true or false (given: "${pathStyle}").`);

  const endpointValue = env('S3_ENDPOINT', '').trim();
  const endpoint = endpointValue ? absoluteHttpUrl('S3_ENDPOINT', endpointValue) : undefined;
  const publicUrlValue = env('S3_PUBLIC_URL', '').trim();
  const rootPath = env('S3_ROOT_PATH', '').trim().replace(/^\/+|\/+$/g, '');
  return {
    bucket,
    region,
    endpoint,
    // Other S3-compatible servers (MinIO, s3rver) mostly address buckets by path; AWS by host name.
    forcePathStyle: pathStyle ? pathStyle === 'true' : Boolean(endpoint),
    credentials: accessKeyId ? { accessKeyId, secretAccessKey } : undefined,
    publicUrl: publicUrlValue ? absoluteHttpUrl('S3_PUBLIC_URL', publicUrlValue) : undefined,
    rootPath: rootPath || undefined,
    acl: acl || undefined,
  };
};

/** The upload plugin's `provider` and `providerOptions` for @strapi/provider-upload-aws-s3. */
const uploadProviderConfig = (storage: ObjectStorage) => ({
  provider: OBJECT_STORAGE_PROVIDER,
  providerOptions: {
    baseUrl: storage.publicUrl,
    rootPath: storage.rootPath,
    s3Options: {
      region: storage.region,
      endpoint: storage.endpoint,
      forcePathStyle: storage.forcePathStyle,
      credentials: storage.credentials,
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      // `ACL` present, even undefined, keeps the provider from adding public-read on its own.
      params: { Bucket: storage.bucket, ACL: storage.acl },
    },
  },
});

/** The upload plugin's provider settings from the environment: none (Strapi's local provider) without S3_BUCKET. */
export const uploadProviderFrom = (env: Env) => {
  const storage = objectStorageFrom(env);
  return storage ? uploadProviderConfig(storage) : {};
};

/**
 * The origin of the URLs files get: S3_PUBLIC_URL's, else the bucket's own address as the SDK
 * builds it (path style: the endpoint; else the bucket's host name under it, or AWS's).
 */
export const fileOrigin = (storage: ObjectStorage) => {
  if (storage.publicUrl) return new URL(storage.publicUrl).origin;
  const endpoint = new URL(storage.endpoint ?? `https://s3.${storage.region}.amazonaws.com`);
  return storage.forcePathStyle ? endpoint.origin : `${endpoint.protocol}//${storage.bucket}.${endpoint.host}`;
};

/**
 * strapi::security's configuration: Strapi's own Content Security Policy, whose img-src and
 * media-src also allow the files' origin when they are in object storage, so that the admin UI
 * shows thumbnails and previews. Local files are served by this server ('self').
 */
export const securityConfigFrom = (env: Env) => {
  const storage = objectStorageFrom(env);
  if (!storage) return {};
  const origin = fileOrigin(storage);
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        ...CSP_DEFAULTS,
        'img-src': [...CSP_DEFAULTS['img-src'], origin],
        'media-src': [...CSP_DEFAULTS['media-src'], origin],
        upgradeInsecureRequests: null,
      },
    },
  };
};
