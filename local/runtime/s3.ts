/**
 * S3: s3rver on the file system under DATA_DIR/s3, with a bucket per AWS::S3::Bucket of the template.
 * s3rver accepts only access keys it knows: S3RVER (the runtime's own, and the account's) and each
 * function's own (registered when it loads); each request first passes the IAM gate (s3-gate.ts).
 * Its port is open from the start, but s3rver itself (and the S3 client) load on the first request:
 * requiring them costs most of a second that `npm start` need not wait for.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EngineClock } from './clock';
import { type NameContext, physicalName, REGION } from './names';
import { setS3Clock } from './s3-clock';
import { gateS3, type S3GateSetup } from './s3-gate';
import { resourcesOfType } from './template';

export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function bucketNames(ctx: NameContext): string[] {
  return resourcesOfType(ctx.template, 'AWS::S3::Bucket').map(([id]) => physicalName(ctx, id));
}

export interface LocalS3 {
  /** Path-style endpoint: an IP address, so the SDK puts the bucket in the path, as s3rver wants. */
  endpoint: string;
  buckets: string[];
  /** The object as a stream, for the engine's ItemReader. */
  getObject(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>>;
  stop(): Promise<void>;
}

type Handle = (req: IncomingMessage, res: ServerResponse) => void;

export interface S3Access {
  /** The IAM gate; absent: no checks. */
  iam?: S3GateSetup['iam'];
  /** Access keys (and secrets) s3rver must accept besides its own: the functions'. */
  keyPairs?: () => [string, string][];
}

export async function startS3(
  directory: string,
  buckets: string[],
  host = '127.0.0.1',
  access: () => S3Access = () => ({}),
  clock?: EngineClock,
): Promise<LocalS3> {
  mkdirSync(directory, { recursive: true });
  let loaded: Promise<{ handle: Handle; close(): void }> | undefined;
  const load = () => {
    loaded ??= (async () => {
      if (clock) setS3Clock(() => clock.now());
      const { default: S3rver } = await import('s3rver');
      const account = createRequire(__filename)('s3rver/lib/models/account') as {
        DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
      };
      for (const [id, secret] of access().keyPairs?.() ?? []) account.DUMMY_ACCOUNT.createKeyPair(id, secret);
      const app = new S3rver({
        directory,
        silent: true,
        configureBuckets: buckets.map((name) => ({ name, configs: [] })),
      });
      await app.configureBuckets();
      return { handle: app.callback(), close: () => app.logger.close() };
    })();
    return loaded;
  };
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const { handle } = await load();
    const iam = access().iam;
    if (!iam) return handle(req, res);
    // Only a DeleteObjects request needs its body read to be judged; everything else streams on.
    if (req.method === 'POST' && /[?&]delete(=|&|$)/.test(req.url ?? '')) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      if (gateS3({ iam, directory }, req, body, res)) return;
      const replay = Object.assign(new PassThrough(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        socket: req.socket,
      });
      handle(replay as unknown as IncomingMessage, res);
      replay.end(body);
      return;
    }
    if (!gateS3({ iam, directory }, req, Buffer.alloc(0), res)) handle(req, res);
  };
  const server = createServer((req, res) => {
    serve(req, res).catch((e: Error) => {
      if (!res.headersSent) res.writeHead(500).end(`s3rver did not start: ${e.message}`);
    });
  });
  clock?.stamp(server);
  const port = await new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => ok((server.address() as AddressInfo).port));
  });
  const endpoint = `http://${host === '0.0.0.0' || host === 'localhost' ? '127.0.0.1' : host}:${port}`;

  type Sdk = typeof import('@aws-sdk/client-s3');
  let client: Promise<{ s3: S3Client; GetObjectCommand: Sdk['GetObjectCommand'] }> | undefined;
  const s3 = () => {
    client ??= import('@aws-sdk/client-s3').then(({ S3Client, GetObjectCommand }) => ({
      s3: new S3Client({
        endpoint,
        region: REGION,
        credentials: S3_CREDENTIALS,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
      GetObjectCommand,
    }));
    return client;
  };

  return {
    endpoint,
    buckets,
    async getObject(bucket, key) {
      const { s3: c, GetObjectCommand } = await s3();
      // Signed on the engine clock, as s3rver now judges it (s3-clock.ts).
      if (clock) c.config.systemClockOffset = clock.offsetMs();
      const out = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // In Node the body is an http.IncomingMessage: an async iterable of Buffers, read as it arrives.
      return out.Body as unknown as AsyncIterable<Uint8Array>;
    },
    async stop() {
      if (client) (await client).s3.destroy();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      if (loaded) (await loaded.catch(() => undefined))?.close();
    },
  };
}
