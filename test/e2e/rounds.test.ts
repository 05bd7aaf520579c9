import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasteRow, writeWasteCsv } from '../../local/runtime/round-csv';
import { type LocalSystem, ROOT } from './harness';
import { casesByReference, runRound, tempFile } from './rounds';
import { withLocalSystem } from './setup';

const ORG = 'gemeente-rondes';
const ROWS = 1000;
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const e164 = (phone: string) => `+31${phone.slice(1)}`;

function cli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local/round.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1', DATA_DIR: sys.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) =>
    child.once('exit', (code) => ok({ code, stdout, stderr })),
  );
}

describe('a round of 1,000 households', () => {
  it('starts exactly one case per row and invites every household with a mobile number', async () => {
    const file = tempFile('wijk-noord.csv');
    await writeWasteCsv(file, ROWS);
    const round = await runRound(sys, staff, file, { serviceId: 'waste-collection', name: 'wijk-noord' });
    expect(round).toMatchObject({
      status: 'STARTED',
      total: ROWS,
      validated: ROWS,
      invalid: 0,
      started: ROWS,
      failed: 0,
      errors: [],
      failures: [],
    });

    const cases = await casesByReference(sys, staff, 'waste-collection', 'hh-');
    expect(cases.size).toBe(ROWS);
    for (let i = 0; i < ROWS; i++) expect(cases.get(wasteRow(i).reference)).toHaveLength(1);
    expect(new Set([...cases.values()].flat()).size).toBe(ROWS);

    const phones = Array.from({ length: ROWS }, (_, i) => wasteRow(i).phone).filter(Boolean);
    expect(phones.length).toBeGreaterThan(600);
    const invited = await eventuallyInvited(phones.map(e164));
    for (const phone of phones) expect(invited.get(e164(phone)), phone).toBe(1);
    expect(invited.size).toBe(phones.length);
  }, 300_000);

  it('runs from the CLI, and a second run of the same file is the same round with no new cases', async () => {
    const file = tempFile('cli-rows.csv');
    await writeWasteCsv(file, 20, (i) => wasteRow(i, 'cli', 500_000).fields);
    const first = await cli(['start', 'waste-collection', file, '--url', sys.url, '--org', ORG]);
    expect(first.stderr).toContain('uploading');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Round 'cli-rows' \([0-9a-f]{32}\), waste-collection: STARTED/);
    expect(first.stdout).toContain('rows 20: valid 20, invalid 0');
    expect(first.stdout).toContain('cases started 20, failed 0');

    const again = await cli(['start', 'waste-collection', file, '--url', sys.url, '--org', ORG]);
    expect(again.code).toBe(0);
    const id = (out: string) => /\(([0-9a-f]{32})\)/.exec(out)?.[1];
    expect(id(again.stdout)).toBe(id(first.stdout));
    expect(again.stdout).toContain('STARTED (attempt 2');
    expect(again.stdout).toContain('cases started 20, failed 0');
    expect((await casesByReference(sys, staff, 'waste-collection', 'cli-')).size).toBe(20);

    const status = await cli(['status', id(first.stdout) as string, '--url', sys.url, '--org', ORG]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('cases started 20');
  }, 120_000);

  it('says what went wrong in plain words, with exit code 1', async () => {
    const missing = await cli(['start', 'waste-collection', tempFile('none.csv'), '--url', sys.url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('file: no such file');
    const file = tempFile('x.csv');
    await writeWasteCsv(file, 1);
    const unknown = await cli(['start', 'no-such-service', file, '--url', sys.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown service 'no-such-service'");
    const school = await cli([
      'start',
      'waste-collection',
      file,
      '--url',
      sys.url,
      '--org',
      'basisschool-de-regenboog',
    ]);
    expect(school.code).toBe(1);
    expect(school.stderr).toMatch(/POST \/rounds: 403 \w+ \S/);
  });
});

async function eventuallyInvited(phones: string[]): Promise<Map<string, number>> {
  const wanted = new Set(phones);
  const end = Date.now() + 150_000;
  for (;;) {
    const counts = new Map<string, number>();
    for (const m of await sys.outbox()) if (wanted.has(m.to)) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    if (counts.size === wanted.size || Date.now() > end) return counts;
    await new Promise((r) => setTimeout(r, 500));
  }
}
