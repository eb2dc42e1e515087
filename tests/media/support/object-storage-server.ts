import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';

export const BUCKET = 'ipam-media';
export const REGION = 'us-east-1';

/** A key pair of the tests' own, which the server accepts until it is revoked. */
const ACCESS_KEY_ID = 'IPAM-TEST-KEY';
const SECRET_ACCESS_KEY = 'ipam-test-secret-access-key';

export interface ObjectStorageServer {
  endpoint: string;
  /** The environment that points Strapi at this server, with this bucket and credentials. */
  env: Record<string, string>;
  /** Stops answering (connections refused on its port), as an outage would. */
  stop(): Promise<void>;
  /** Answers again, on the same port, with the same objects. */
  restart(): Promise<void>;
  /** The keys of every object in the bucket, as S3's ListObjectsV2 gives them. */
  keys(): Promise<string[]>;
  revokeKey(): void;
  restoreKey(): void;
  close(): Promise<void>;
}

/**
 * s3rver: a real S3 HTTP server (signature checks, buckets, objects on disk), in this process, on a
 * free port of 127.0.0.1 and a temporary directory, with the bucket already created.
 */
export const startObjectStorageServer = async (): Promise<ObjectStorageServer> => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ipam-s3rver-'));
  let port = 0;
  let server: S3rver | null = null;
  const run = async () => {
    server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: BUCKET }] });
    port = (await server.run()).port;
  };
  await run();
  DUMMY_ACCOUNT.createKeyPair(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server?.close();
    server = null;
  };
  return {
    endpoint,
    env: { S3_BUCKET: BUCKET, S3_REGION: REGION, S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
    stop,
    restart: run,
    async keys() {
      const res = await fetch(`${endpoint}/${BUCKET}?list-type=2`);
      if (res.status !== 200) throw new Error(`Listing the bucket answered ${res.status}: ${await res.text()}`);
      return [...(await res.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map(([, key]) => key).sort();
    },
    revokeKey: () => DUMMY_ACCOUNT.revokeAccessKey(ACCESS_KEY_ID),
    restoreKey: () => DUMMY_ACCOUNT.createKeyPair(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
    async close() {
      await stop();
      DUMMY_ACCOUNT.revokeAccessKey(ACCESS_KEY_ID);
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
};

export interface Cdn {
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for a CDN in front of the bucket: its own origin, answering GET /<key> with the
 * bucket's object (what S3_PUBLIC_URL points at).
 */
export const startCdn = async (storage: ObjectStorageServer): Promise<Cdn> => {
  const cdn = http.createServer((req, res) => {
    const origin = http.get(`${storage.endpoint}/${BUCKET}${req.url}`, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/octet-stream' });
      answer.pipe(res);
    });
    origin.on('error', () => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => cdn.close(() => resolve())),
  };
};
