import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3_CREDENTIALS, startS3 } from '../../../local/runtime/s3';

// A real S3 API (the local runtime's s3rver, on a temporary directory) on a free port of 127.0.0.1,
// with one bucket. s3rver accepts only the credentials S3RVER/S3RVER.

export const S3RVER_CREDENTIALS = S3_CREDENTIALS;

export interface LocalBucket {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

export async function startS3rver(bucket = 'coproduce-rounds-test'): Promise<LocalBucket> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const s3 = await startS3(directory, [bucket]);
  return {
    endpoint: s3.endpoint,
    bucket,
    stop: async () => {
      await s3.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
