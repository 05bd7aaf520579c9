import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

// A real S3 API (s3rver on a temporary directory) on a free port of 127.0.0.1, with one bucket.
// s3rver accepts only the credentials S3RVER/S3RVER.

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalBucket {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

export async function startS3rver(bucket = 'coproduce-rounds-test'): Promise<LocalBucket> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const app = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  await app.configureBuckets();
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      app.logger.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
