import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../../local/runtime/runtime';
import { writeFixture } from './fixture';

// One clock on both sides of the thread boundary: what a function reads from Date is the engine's
// time (POST /local/clock), and so is every time the main thread's emulations judge for it.

// biome-ignore lint/suspicious/noExplicitAny: test reads deep into JSON responses it just asserted on
type Loose = any;

const root = join(process.cwd(), '.data', 'test-fixtures');
const DAY = 86_400;
const BUCKET = 'demo-stack-roundbucket5f2d7e3a';
let cdkOut: string;
let dataDir: string;
let rt: Runtime;

const start = () => startRuntime({ cdkOut, dataDir, port: 0, sweepIntervalMs: 3_600_000 });

beforeAll(async () => {
  cdkOut = writeFixture(root, 3600);
  dataDir = mkdtempSync(join(tmpdir(), 'coproduce-clock-'));
  rt = await start();
});

afterAll(async () => {
  await rt?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cdkOut, { recursive: true, force: true });
});

const echo = async (path = '/public/x', headers: Record<string, string> = {}) => {
  const res = await fetch(`${rt.url}${path}`, { headers });
  return { status: res.status, date: res.headers.get('date'), body: (await res.json()) as Loose };
};
const advance = async (seconds: number) => {
  const res = await fetch(`${rt.url}/local/clock`, {
    method: 'POST',
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  return Date.parse(((await res.json()) as { now: string }).now);
};
/** Within two seconds of the engine's now (the calls in between take a little time). */
const near = (ms: number, engineMs: number) => expect(Math.abs(ms - engineMs)).toBeLessThan(2000);

describe('the engine clock in the functions', () => {
  it("a function's Date follows POST /local/clock, also in an environment started before it", async () => {
    const before = await echo();
    near(before.body.now, rt.engine.now());
    near(before.body.now, Date.now());

    const engineNow = await advance(30 * DAY);
    const after = await echo(); // the same warm environment
    near(after.body.now, engineNow);
    near(Date.parse(after.body.date), engineNow);
    near(Date.parse(after.body.called), engineNow);
    expect(after.body.isDate).toBe(true);
    expect(after.body.now - before.body.now).toBeGreaterThanOrEqual(30 * DAY * 1000);
    // The remaining time is real time: the timeout that stops the function runs on it.
    expect(after.body.remaining).toBeGreaterThan(0);
    expect(after.body.remaining).toBeLessThanOrEqual(30_000);
    // What the gateway tells it and the servers' Date headers say the same time.
    near(after.body.event.requestContext.timeEpoch, engineNow);
    near(Date.parse(after.date ?? ''), engineNow);
  });

  it('issues tokens on the engine clock; the API still takes a token minted outside on real time', async () => {
    const claims = { sub: 'u1', 'custom:org': 'gemeente-x', 'custom:orgKind': 'municipality' };
    const payload = (t: string) => JSON.parse(Buffer.from(t.split('.')[1] as string, 'base64url').toString());
    const token = rt.issuer.sign(claims, 3600);
    near(payload(token).iat * 1000, rt.engine.now());
    expect(rt.issuer.verify(token)).toBeDefined();
    expect((await echo('/echo/1', { authorization: `Bearer ${token}` })).status).toBe(200);
    // As `npm run token` mints it, in its own process: on real time, before the fast-forward.
    const outside = rt.issuer.sign(claims, 3600, Math.floor(Date.now() / 1000));
    await advance(3601);
    // The runtime's own check (the console's sign-in) is on the engine clock: an hour has passed.
    expect(rt.issuer.verify(token)).toBeUndefined();
    expect((await echo('/echo/1', { authorization: `Bearer ${outside}` })).status).toBe(200);
    const expired = rt.issuer.sign(claims, -10, Math.floor(Date.now() / 1000));
    expect((await echo('/echo/1', { authorization: `Bearer ${expired}` })).status).toBe(401);
  });

  it('lets a function use S3 after a fast-forward, and expires its presigned URL on the engine clock', async () => {
    await advance(10 * DAY);
    const url = async (key: string) =>
      ((await (await fetch(`${rt.url}/upload/${key}`, { method: 'POST' })).json()) as { url: string }).url;
    const put = (to: string) =>
      fetch(to, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: 'a,b\r\n' });
    expect((await put(await url('now.csv'))).status).toBe(200);
    // The function reads it back with its own SDK client, signed on its (engine) clock.
    const read = (await (await fetch(`${rt.url}/upload/now.csv`)).json()) as { text: string };
    expect(read.text).toBe('a,b\r\n');

    const late = await url('late.csv'); // valid for 900 seconds
    await advance(901);
    const refused = await put(late);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Request has expired');
    // The engine's own reads (a Map's ItemReader) are signed on the same clock.
    const parts: Buffer[] = [];
    for await (const c of await rt.s3.getObject(BUCKET, 'files/now.csv')) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).toString()).toBe('a,b\r\n');
  });

  it('keeps the functions on the engine clock after a restart', async () => {
    const engineBefore = rt.engine.now();
    await rt.stop();
    rt = await start();
    const after = await echo();
    expect(after.body.now).toBeGreaterThanOrEqual(engineBefore);
    near(after.body.now, rt.engine.now());
    expect(after.body.now - Date.now()).toBeGreaterThan(40 * DAY * 1000);
  });
});
