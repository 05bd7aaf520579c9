/** Round steps of the e2e scenarios: the rounds API over HTTP, the file PUT to the presigned URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { putFile } from '../../local/runtime/round-client';
import type { LocalSystem, Loose } from './harness';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A path in a fresh temporary folder, removed after the test file. */
export function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-round-'));
  dirs.push(dir);
  return join(dir, name);
}

const ENDED = ['STARTED', 'REJECTED', 'FAILED'];

export async function createRound(
  sys: LocalSystem,
  token: string,
  body: { serviceId: string; name: string; onInvalid?: 'skip' | 'reject' },
): Promise<Loose> {
  const res = await sys.request('POST', '/rounds', { token, json: body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /rounds ${res.status}: ${res.text}`);
  return { ...res.json, httpStatus: res.status };
}

export async function startRound(sys: LocalSystem, token: string, roundId: string): Promise<Loose> {
  const res = await sys.request('POST', `/rounds/${roundId}/start`, { token });
  if (res.status !== 202) throw new Error(`POST /rounds/${roundId}/start ${res.status}: ${res.text}`);
  return res.json;
}

export async function getRound(sys: LocalSystem, token: string, roundId: string): Promise<Loose> {
  const res = await sys.request('GET', `/rounds/${roundId}`, { token });
  if (res.status !== 200) throw new Error(`GET /rounds/${roundId} ${res.status}: ${res.text}`);
  return res.json;
}

/** Like `eventually`, at a pace that leaves the runtime to its work (a poll is a Lambda invocation). */
export async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The round once this attempt (or a later one) ended. */
export function roundEnded(sys: LocalSystem, token: string, roundId: string, attempt: number, ms = 150_000) {
  return poll(
    async () => {
      const r = await getRound(sys, token, roundId);
      return r.attempt >= attempt && ENDED.includes(r.status) ? r : undefined;
    },
    `round ${roundId} attempt ${attempt} to end`,
    ms,
  );
}

/** Create (or find) the round, upload the file, start it and wait for the end. */
export async function runRound(
  sys: LocalSystem,
  token: string,
  file: string,
  body: { serviceId: string; name: string; onInvalid?: 'skip' | 'reject' },
): Promise<Loose> {
  const created = await createRound(sys, token, body);
  await putFile(created.upload, file);
  const started = await startRound(sys, token, created.roundId);
  expect(started).toMatchObject({ roundId: created.roundId, status: 'VALIDATING' });
  return roundEnded(sys, token, created.roundId, started.attempt);
}

/** The organisation's case ids per reference (references starting with `prefix`). */
export async function casesByReference(
  sys: LocalSystem,
  token: string,
  serviceId: string,
  prefix: string,
): Promise<Map<string, string[]>> {
  const byRef = new Map<string, string[]>();
  let cursor: string | undefined;
  do {
    const q = `serviceId=${serviceId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await sys.request('GET', `/cases?${q}`, { token });
    if (res.status !== 200) throw new Error(`GET /cases ${res.status}: ${res.text}`);
    for (const c of res.json.items as Loose[]) {
      const ref = String(c.reference ?? '');
      if (!ref.startsWith(prefix)) continue;
      // Every listed id, repeats too: a listing shows each case once, also after a crash.
      byRef.set(ref, [...(byRef.get(ref) ?? []), String(c.caseId)]);
    }
    cursor = res.json.cursor;
  } while (cursor);
  return byRef;
}
