import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { writeFixture } from './fixture';

// biome-ignore lint/suspicious/noExplicitAny: test reads deep into JSON responses it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
let cdkOut: string;
let dataDir: string;
let rt: Runtime;

const start = () => startRuntime({ cdkOut, dataDir, port: 0, sweepIntervalMs: 3_600_000 });

beforeAll(async () => {
  cdkOut = writeFixture(root, 3600);
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-rt-'));
  rt = await start();
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const token = (claims: Record<string, string> = {}) =>
  rt.issuer.sign({
    sub: 'u1',
    email: 'a@b.nl',
    'custom:org': 'gemeente-x',
    'custom:orgKind': 'municipality',
    ...claims,
  });

async function getItem(id: string) {
  const table = rt.dynamo.tables[0]?.name as string;
  return (await rt.dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: id } } }))).Item;
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('gateway', () => {
  it('refuses a JWT route without or with a bad token, like API Gateway', async () => {
    const none = await fetch(`${rt.url}/echo/1`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const good = token();
    const at = good.lastIndexOf('.') + 10;
    const forged = good.slice(0, at) + (good[at] === 'A' ? 'B' : 'A') + good.slice(at + 1);
    expect((await fetch(`${rt.url}/echo/1`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(
      401,
    );
    const expired = rt.issuer.sign({ sub: 'u1' }, -10);
    expect(
      (await fetch(`${rt.url}/echo/1`, { headers: { authorization: `Bearer ${expired}` } })).status,
    ).toBe(401);
  });

  it('builds a payload 2.0 event with claims, path and query parameters, cookies', async () => {
    const res = await fetch(`${rt.url}/echo/a%20b?x=1&x=2&y=3`, {
      headers: { authorization: `Bearer ${token()}`, cookie: 'c1=v1; c2=v2', 'X-Custom': 'Yes' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-fn')).toBe('demo-stack-Echo');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const { event, remaining } = (await res.json()) as { event: Loose; remaining: number };
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /echo/{id}');
    expect(event.rawPath).toBe('/echo/a%20b');
    expect(event.rawQueryString).toBe('x=1&x=2&y=3');
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: '3' });
    expect(event.pathParameters).toEqual({ id: 'a b' });
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.headers['x-custom']).toBe('Yes');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.http).toMatchObject({
      method: 'GET',
      path: '/echo/a%20b',
      sourceIp: '127.0.0.1',
    });
    expect(event.requestContext.stage).toBe('$default');
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims['custom:org']).toBe('gemeente-x');
    expect(claims.iss).toMatch(/^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\//);
    expect(typeof claims.exp).toBe('string');
    expect(remaining).toBeGreaterThan(4000);
    expect(remaining).toBeLessThanOrEqual(5000);
  });

  it('matches greedy routes and base64-encodes form bodies', async () => {
    const greedy = await (await fetch(`${rt.url}/public/a/b/c`)).json();
    expect((greedy as Loose).event.pathParameters).toEqual({ proxy: 'a/b/c' });
    const form = await fetch(`${rt.url}/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B31612345678&Body=JA',
    });
    const { event } = (await form.json()) as Loose;
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64').toString()).toBe('From=%2B31612345678&Body=JA');
    const json = await (
      await fetch(`${rt.url}/form`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      })
    ).json();
    expect((json as Loose).event).toMatchObject({ isBase64Encoded: false, body: '{"a":1}' });
  });

  it('maps plain results to 200 JSON, function errors to 500, unknown routes to 404', async () => {
    const plain = await fetch(`${rt.url}/plain`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(await plain.json()).toEqual({ hello: 'world' });
    const boom = await fetch(`${rt.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ message: 'Internal Server Error' });
    expect((await fetch(`${rt.url}/nope`)).status).toBe(404);
    expect((await fetch(`${rt.url}/plain`, { method: 'POST' })).status).toBe(404);
  });
});

describe('lambda environment', () => {
  it('resolves refs, the API endpoint and secrets to local values', async () => {
    const res = await fetch(`${rt.url}/public/x`);
    const { env } = (await res.json()) as { env: Record<string, string> };
    expect(env.TABLE_NAME).toBe('demo-stack-Table');
    expect(env.LOADED_TABLE).toBe('demo-stack-Table');
    expect(env.PUBLIC_URL).toBe(rt.url);
    expect(env.PII_KEY).toMatch(/^[0-9A-Za-z]{64}$/);
    expect(env.TWILIO_AUTH_TOKEN).toBe(process.env.TWILIO_AUTH_TOKEN);
    expect(JSON.parse(env.STATE_MACHINE_ARNS as string)).toEqual({
      demo: 'arn:aws:states:eu-west-1:000000000000:stateMachine:demo-stack-Machine',
    });
    expect(rt.lambda.stats.get('demo-stack-Echo')?.initMs).toBeGreaterThan(0);
  });
});

describe('step functions, dynamodb and sms together', () => {
  it('runs a callback task to completion through the SDKs', async () => {
    expect((await fetch(`${rt.url}/start/case-1`, { method: 'POST' })).status).toBe(202);
    const item = await until(() => getItem('case-1'));
    expect(item.status?.S).toBe('OPEN');
    // The function sends its SMS after writing the item: wait for the invocation to finish.
    await until(async () => (rt.outbox.list().some((m) => m.body === 'Open: case-1') ? true : undefined));
    const before = rt.dynamo.consumed();
    const done = await fetch(`${rt.url}/complete/case-1`, { method: 'POST', body: '{"ok":true}' });
    expect(done.status).toBe(200);
    await until(async () => ((await getItem('case-1'))?.status?.S === 'DONE' ? true : undefined));
    // The state machine's dynamodb:updateItem is metered like the functions' calls: one small write.
    expect(rt.dynamo.consumed().writeUnits - before.writeUnits).toBe(1);
    expect(rt.dynamo.consumed().readUnits - before.readUnits).toBeGreaterThanOrEqual(0.5);
    const outbox = (await (await fetch(`${rt.url}/local/outbox`)).json()) as { messages: { to: string }[] };
    expect(outbox.messages.some((m) => m.to === '+31612345678')).toBe(true);
    // One number's messages, with the + typed as it is (a space to a query parser) or encoded.
    for (const to of ['+31612345678', '%2B31612345678']) {
      const one = (await (await fetch(`${rt.url}/local/outbox?to=${to}`)).json()) as {
        messages: { to: string; body: string }[];
        total: number;
      };
      expect(one.messages.map((m) => m.body)).toContain('Open: case-1');
      expect(one.messages.every((m) => m.to === '+31612345678')).toBe(true);
      expect(one.total).toBe(rt.outbox.count);
    }
    const bad = await fetch(`${rt.url}/local/outbox?to=0612345678`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
  });

  it('times a task out when the clock is fast-forwarded, and refuses its token afterwards', async () => {
    await fetch(`${rt.url}/start/case-2`, { method: 'POST' });
    await until(() => getItem('case-2'));
    const before = Date.parse(((await (await fetch(`${rt.url}/local/clock`)).json()) as { now: string }).now);
    const res = await fetch(`${rt.url}/local/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: 3601 }),
    });
    const after = Date.parse(((await res.json()) as { now: string }).now);
    expect(after - before).toBeGreaterThanOrEqual(3601_000);
    await until(async () => ((await getItem('case-2'))?.status?.S === 'EXPIRED' ? true : undefined));
    expect((await fetch(`${rt.url}/complete/case-2`, { method: 'POST', body: '{}' })).status).toBe(409);
    const bad = await fetch(`${rt.url}/local/clock`, { method: 'POST', body: '{"advanceSeconds":-1}' });
    expect(bad.status).toBe(400);
  });

  it('sweeps items whose TTL passed on the engine clock', async () => {
    const table = rt.dynamo.tables[0]?.name as string;
    const inAnHour = Math.floor(rt.engine.now() / 1000) + 3600;
    const put = (pk: string, ttl: number) =>
      rt.dynamo.client.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, ttl: { N: String(ttl) } } }),
      );
    await put('ttl-soon', inAnHour);
    await put('ttl-later', inAnHour + 86_400);
    await rt.advance(7200);
    expect(await getItem('ttl-soon')).toBeUndefined();
    expect(await getItem('ttl-later')).toBeDefined();
  });
});

describe('restart', () => {
  it('keeps data, outbox, clock and secrets across a restart', async () => {
    const envBefore = ((await (await fetch(`${rt.url}/public/x`)).json()) as Loose).env.PII_KEY;
    const clockBefore = rt.engine.now();
    const messages = rt.outbox.list().length;
    await rt.stop();
    rt = await start();
    expect(rt.engine.now()).toBeGreaterThanOrEqual(clockBefore);
    expect(rt.outbox.list()).toHaveLength(messages);
    expect((await getItem('case-1'))?.status?.S).toBe('DONE');
    const envAfter = ((await (await fetch(`${rt.url}/public/x`)).json()) as Loose).env.PII_KEY;
    expect(envAfter).toBe(envBefore);
  });
});
