import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { oneSigner } from '../../../functions/shared/clients';

// oneSigner keeps a client's SigV4 signer: the requests it signs must be exactly what the SDK's own
// signer-per-request makes, and credentials that rotate must still sign.

let server: Server;
let endpoint: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    // No Date header: the SDK corrects its clock by the server's, and the server's is real time while
    // the test fakes a day of its own (the signatures then carried the next day once real time was
    // more than a day past the fake one).
    response.sendDate = false;
    seen.push(request.headers);
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      response.end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));
afterEach(() => {
  seen.length = 0;
  vi.useRealTimers();
});

const STATIC = { accessKeyId: 'AKIDSTATIC', secretAccessKey: 'static-secret' };
const client = (credentials: DynamoDBClient['config']['credentials'] | typeof STATIC = STATIC) => {
  const made = new DynamoDBClient({ region: 'eu-west-1', endpoint, credentials });
  // The retry middleware gives each request a random invocation id, which is signed: a fixed one, so
  // that the same request signed twice at the same time must read the same.
  type Finalize = { request: { headers: Record<string, string> } };
  const fixedId = (next: (args: Finalize) => Promise<unknown>) => (args: Finalize) => {
    args.request.headers['amz-sdk-invocation-id'] = 'fixed';
    return next(args);
  };
  made.middlewareStack.addRelativeTo(
    fixedId as unknown as Parameters<typeof made.middlewareStack.addRelativeTo>[0],
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'fixedInvocationId' },
  );
  return made;
};
const getItem = (caseId: string) =>
  new GetItemCommand({ TableName: 'cases', Key: { pk: { S: `CASE#${caseId}` }, sk: { S: 'CASE' } } });
const scheme = { name: 'sigv4', signingName: 'dynamodb', signingRegion: 'eu-west-1', properties: {} };

describe('oneSigner', () => {
  it('builds the signer once, where the SDK builds one per request', async () => {
    const plain = client();
    expect(await plain.config.signer(scheme)).not.toBe(await plain.config.signer(scheme));
    const kept = oneSigner(client());
    const first = await kept.config.signer(scheme);
    expect(await kept.config.signer(scheme)).toBe(first);
    expect(await kept.config.signer({ ...scheme, signingRegion: 'eu-central-1' })).not.toBe(first);
  });

  it('signs each request exactly as a signer built for it does', async () => {
    // Only Date: the same signing time for both clients, the SDK's own timers keep running.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T09:00:00.000Z'));
    const plain = client();
    const kept = oneSigner(client());
    for (const caseId of ['a', 'b', 'c']) {
      await plain.send(getItem(caseId));
      await kept.send(getItem(caseId));
    }
    vi.setSystemTime(new Date('2026-12-04T00:00:01.000Z')); // a new day: a new signing key
    await plain.send(getItem('d'));
    await kept.send(getItem('d'));
    const signatures = seen.map((headers) => headers.authorization);
    expect(signatures).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) {
      expect(signatures[i]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTATIC\/\d{8}\/eu-west-1\/dynamodb/);
      expect(signatures[i + 1]).toBe(signatures[i]);
    }
    expect(new Set(signatures).size).toBe(4);
    expect(signatures[6]).toContain('/20261204/');
  });

  it('signs with the credentials the provider gives at each request', async () => {
    let issued = 0;
    // Credentials about to expire: the SDK asks its provider again at every request.
    const rotating = async () => ({
      accessKeyId: `AKIDROTATE${++issued}`,
      secretAccessKey: `secret-${issued}`,
      expiration: new Date(Date.now() + 1000),
    });
    const kept = oneSigner(client(rotating));
    await kept.send(getItem('a'));
    const first = issued;
    await kept.send(getItem('b'));
    const keys = seen.map(
      (headers) => /Credential=AKIDROTATE(\d+)\//.exec(String(headers.authorization))?.[1],
    );
    // The provider may be asked more than once per request; each request signs with one it issued then.
    expect(Number(keys[0])).toBeLessThanOrEqual(first);
    expect(Number(keys[1])).toBeGreaterThan(first);
    expect(Number(keys[1])).toBeLessThanOrEqual(issued);
  });

  it('builds a signer again after one could not be built', async () => {
    const kept = client();
    const build = kept.config.signer;
    let attempts = 0;
    kept.config.signer = (s) => (++attempts === 1 ? Promise.reject(new Error('no region yet')) : build(s));
    oneSigner(kept);
    await expect(kept.send(getItem('a'))).rejects.toThrow('no region yet');
    await kept.send(getItem('b'));
    expect(attempts).toBe(2);
    expect(seen).toHaveLength(1);
  });
});
