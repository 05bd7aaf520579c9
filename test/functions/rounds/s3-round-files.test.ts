import { createHash } from 'node:crypto';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIN_PART_SIZE, S3RoundFiles } from '../../../functions/rounds/s3-round-files';
import { NotFoundError } from '../../../functions/shared/errors';
import { type LocalBucket, S3RVER_CREDENTIALS, startS3rver } from '../adapters/local-s3';

// S3RoundFiles against a real S3 API (s3rver). The client is the one of functions/shared/clients.ts,
// configured only through the standard variables (AWS_ENDPOINT_URL_S3, credentials), as locally: this
// also shows that an http://127.0.0.1:<port> endpoint gets path-style requests with no extra setting.

let s3: LocalBucket;
let client: S3Client;
let files: S3RoundFiles;
const saved = { ...process.env };
/** Names of the commands the client sent, in order. */
let sent: string[] = [];

beforeAll(async () => {
  s3 = await startS3rver();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  const { s3Client } = await import('../../../functions/shared/clients');
  client = s3Client();
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  files = new S3RoundFiles(client, s3.bucket);
});
beforeEach(() => {
  sent = [];
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
  process.env = saved;
});

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

async function text(key: string): Promise<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let out = '';
  for await (const chunk of files.read(key)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

describe('S3RoundFiles', () => {
  it('writes a small file with one PutObject, finds it, reads it back and removes it', async () => {
    const key = 'rounds/small/valid.csv';
    expect(await files.exists(key)).toBe(false);
    await files.write(key, chunks('line,reference\r\n', '2,Ä-1\r\n'), 'text/csv');
    expect(sent).toEqual(['HeadObjectCommand', 'PutObjectCommand']);
    expect(await files.exists(key)).toBe(true);
    expect(await text(key)).toBe('line,reference\r\n2,Ä-1\r\n');
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentType).toBe('text/csv');

    await files.remove([key, 'rounds/small/never-written.csv']);
    expect(await files.exists(key)).toBe(false);
  });

  it('writes a file of more than 5 MiB in parts and reads it back as a stream of chunks', async () => {
    const key = 'rounds/large/valid.csv';
    const row = (i: number) => `${i},REF-${i},${'x'.repeat(80)}\r\n`;
    const rows = 140_000; // about 13 MiB: three parts
    const written = createHash('sha256');
    let bytes = 0;
    async function* lines(): AsyncGenerator<string> {
      for (let i = 0; i < rows; i++) {
        const line = row(i);
        written.update(line);
        bytes += Buffer.byteLength(line);
        yield line;
      }
    }
    await files.write(key, lines(), 'text/csv');
    expect(bytes).toBeGreaterThan(2 * MIN_PART_SIZE);
    expect(sent.filter((name) => name === 'UploadPartCommand')).toHaveLength(3);
    expect(sent.at(-1)).toBe('CompleteMultipartUploadCommand');

    const read = createHash('sha256');
    let chunkCount = 0;
    let largest = 0;
    let total = 0;
    for await (const chunk of files.read(key)) {
      read.update(chunk);
      chunkCount++;
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    expect(total).toBe(bytes);
    expect(read.digest('hex')).toBe(written.digest('hex'));
    // Streamed: many small chunks, never the whole object at once.
    expect(chunkCount).toBeGreaterThan(10);
    expect(largest).toBeLessThan(MIN_PART_SIZE);
  });

  it('sends no empty last part when the stream ends exactly on a part boundary', async () => {
    const key = 'rounds/boundary/valid.csv';
    const half = 'a'.repeat(MIN_PART_SIZE / 2);
    await files.write(key, chunks(half, half, half, half), 'text/csv');
    expect(sent.filter((name) => name === 'UploadPartCommand')).toHaveLength(2);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentLength).toBe(2 * MIN_PART_SIZE);
  });

  it('aborts the multipart upload when the stream fails, leaving no file', async () => {
    const key = 'rounds/broken/valid.csv';
    async function* failing(): AsyncGenerator<string> {
      yield 'b'.repeat(MIN_PART_SIZE + 1);
      throw new Error('the upload.csv broke off');
    }
    await expect(files.write(key, failing(), 'text/csv')).rejects.toThrow('the upload.csv broke off');
    expect(sent).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'AbortMultipartUploadCommand',
    ]);
    expect(await files.exists(key)).toBe(false);
  });

  it('gives an upload URL that accepts a PUT of text/csv, with the content type signed', async () => {
    const key = 'rounds/presigned/upload.csv';
    const url = new URL(await files.uploadUrl(key, 900));
    expect(url.pathname).toBe(`/${s3.bucket}/${key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    // S3 then refuses another content type; s3rver checks no signatures, so only the URL can show it.
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect(await files.exists(key)).toBe(false);

    const body = '\uFEFFreference,phone\r\nA-1,0612345678\r\n';
    const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body });
    expect(put.status).toBe(200);
    expect(await text(key)).toBe(body);
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentType).toBe('text/csv');
  });

  it('refuses to read a file that does not exist, by name', async () => {
    const read = async () => {
      for await (const _ of files.read('rounds/none/upload.csv')) return;
    };
    await expect(read()).rejects.toBeInstanceOf(NotFoundError);
    await expect(read()).rejects.toThrow('rounds/none/upload.csv');
  });

  it('refuses parts smaller than S3 allows', () => {
    expect(() => new S3RoundFiles(client, s3.bucket, MIN_PART_SIZE - 1)).toThrow(/at least/);
  });
});
