import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName } from '../../../local/runtime/names';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { writeFixture } from './fixture';

const root = join(process.cwd(), '.data', 'test-fixtures');
let cdkOut: string;
let dataDir: string;
let rt: Runtime;

const start = () => startRuntime({ cdkOut, dataDir, port: 0, sweepIntervalMs: 3_600_000 });
const BUCKET = 'demo-stack-roundbucket5f2d7e3a';

beforeAll(async () => {
  cdkOut = writeFixture(root, 3600);
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-s3-'));
  rt = await start();
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

async function text(stream: AsyncIterable<Uint8Array>) {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

describe('bucket names', () => {
  it('turns any logical id into a valid bucket name, cutting long ones apart', () => {
    expect(bucketName('coproduce-dev-RoundBucket5F2D7E3A')).toBe('coproduce-dev-roundbucket5f2d7e3a');
    expect(bucketName('a_B')).toBe('a-b');
    expect(bucketName('x')).toBe('x00');
    const long = (tail: string) => bucketName(`stack-${'Very'.repeat(20)}${tail}`);
    expect(long('One')).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    expect(long('One')).not.toBe(long('Two'));
  });
});

describe('s3', () => {
  it('gives the functions the bucket, its ARN and the s3rver endpoint', async () => {
    const { env } = (await (await fetch(`${rt.url}/public/x`)).json()) as { env: Record<string, string> };
    expect(env.ROUND_BUCKET).toBe(BUCKET);
    expect(env.BUCKET_ARN).toBe(`arn:aws:s3:::${BUCKET}`);
    expect(env.AWS_ENDPOINT_URL_S3).toBe(rt.s3.endpoint);
    expect(rt.s3.buckets).toEqual([BUCKET]);
  });

  it('accepts a streamed PUT to a URL a function presigned, and serves it to the engine as a stream', async () => {
    const made = await fetch(`${rt.url}/upload/a.csv`, { method: 'POST' });
    const { url } = (await made.json()) as { url: string };
    expect(new URL(url).origin).toBe(rt.s3.endpoint);
    const rows = Array.from({ length: 2000 }, (_, i) => `ref-${i},Naam ${i}\r\n`);
    const body = `reference,name\r\n${rows.join('')}`;
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'content-length': String(Buffer.byteLength(body)) },
      body: new Blob([body]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(put.status).toBe(200);
    expect(await text(await rt.s3.getObject(BUCKET, 'files/a.csv'))).toBe(body);
    const read = (await (await fetch(`${rt.url}/upload/a.csv`)).json()) as { text: string };
    expect(read.text).toBe(body);
  });

  // s3rver checks the access key of a V4 presigned URL but not its signature (a known s3rver limit).
  it('refuses a PUT signed with other credentials, and reports a missing object', async () => {
    const { url } = (await (await fetch(`${rt.url}/upload/c.csv`, { method: 'POST' })).json()) as {
      url: string;
    };
    const other = url.replace(/X-Amz-Credential=ASIA[A-Z0-9]+/, 'X-Amz-Credential=AKIAOTHER');
    expect(other).not.toBe(url);
    expect((await fetch(other, { method: 'PUT', body: 'x' })).status).toBe(403);
    await expect(rt.s3.getObject(BUCKET, 'files/c.csv')).rejects.toThrow(/NoSuchKey|does not exist/);
  });

  it('keeps objects across a restart', async () => {
    await rt.stop();
    rt = await start();
    expect(await text(await rt.s3.getObject(BUCKET, 'files/a.csv'))).toMatch(/^reference,name\r\nref-0,/);
  });
});
