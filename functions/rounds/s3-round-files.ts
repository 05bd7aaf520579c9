import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NotFoundError } from '../shared/errors';
import type { RoundFiles } from './ports';

// RoundFiles on one S3 bucket (s3rver locally). Files are streamed both ways: a round file of
// 100,000 rows never sits in a Lambda's memory, only one multipart part of it at a time.

/** S3's minimum size of every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

const isNotFound = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export class S3RoundFiles implements RoundFiles {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly partSize = MIN_PART_SIZE,
  ) {
    if (partSize < MIN_PART_SIZE) throw new Error(`S3 parts are at least ${MIN_PART_SIZE} bytes`);
  }

  uploadUrl(key: string, expiresInSeconds: number): Promise<string> {
    // The content type is signed (the presigner leaves it out by default): an upload must say text/csv,
    // as the API response tells the caller, so the stored object says what it is.
    const put = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: 'text/csv' });
    return getSignedUrl(this.client, put, {
      expiresIn: expiresInSeconds,
      signableHeaders: new Set(['content-type']),
    });
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    let body: unknown;
    try {
      body = (await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))).Body;
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundError(`The file ${key} does not exist.`, { key });
      throw error;
    }
    // In Node the body is a Readable: an async iterable of Buffers (Uint8Arrays).
    if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function')
      throw new Error(`The body of ${key} is not a stream`);
    yield* body as AsyncIterable<Uint8Array>;
  }

  async write(key: string, chunks: AsyncIterable<string>, contentType: string): Promise<void> {
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await this.nextPart(iterator);
    if (first.done) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: first.bytes, ContentType: contentType }),
      );
      return;
    }
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!UploadId) throw new Error(`S3 gave no upload id for ${key}`);
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      let part = first;
      for (;;) {
        const PartNumber = parts.length + 1;
        const out = await this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: part.bytes }),
        );
        if (!out.ETag) throw new Error(`S3 gave no ETag for part ${PartNumber} of ${key}`);
        parts.push({ ETag: out.ETag, PartNumber });
        if (part.done) break;
        part = await this.nextPart(iterator);
        // A stream that ends exactly on a part boundary leaves an empty last part: not worth a request.
        if (part.done && part.bytes.length === 0) break;
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await Promise.resolve(iterator.return?.()).catch(() => undefined);
      // An abandoned upload keeps its parts (and their cost) until aborted.
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }))
        .catch(() => undefined);
      throw error;
    }
  }

  async remove(keys: string[]): Promise<void> {
    // Deleting a missing key succeeds, so a repeated cleanup is harmless.
    await Promise.all(
      keys.map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))),
    );
  }

  /** Reads chunks until a part is full (done = false) or the stream ends (done = true). */
  private async nextPart(iterator: AsyncIterator<string>): Promise<{ bytes: Buffer; done: boolean }> {
    const pending: Buffer[] = [];
    let size = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return { bytes: Buffer.concat(pending, size), done: true };
      const bytes = Buffer.from(next.value, 'utf8');
      pending.push(bytes);
      size += bytes.length;
      if (size >= this.partSize) return { bytes: Buffer.concat(pending, size), done: false };
    }
  }
}
