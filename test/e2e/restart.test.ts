import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseStatus, createCase, getCase, ORG, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import type { LocalSystem } from './harness';
import { withLocalSystem } from './setup';

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

describe('durability of the embedded default', () => {
  it('finishes a case after a SIGKILL in the middle of it', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    await sys.advance(3600);
    await sys.kill();

    await sys.boot();
    const view = await getCase(sys, c.caseId, staff);
    expect(step(view, 'present')).toMatchObject({ status: 'DONE', channel: 'sms' });
    expect(step(view, 'collect').status).toBe('OPEN');
    // The provider's step still holds a live task token: the workflow continues where it was.
    expect(
      (await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'))).status,
    ).toBe(200);
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
    await provider(
      sys,
      c.caseId,
      'municipality-feedback',
      staff,
      answers('waste-collection', 'municipality-feedback'),
    );
    await caseStatus(sys, c.caseId, staff, 'COMPLETED');
    // The clock kept its fast-forward across the kill.
    const clock = await sys.request('GET', '/local/clock');
    expect(Date.parse(String(clock.json.now)) - Date.now()).toBeGreaterThan(3500_000);
  });

  it('stops cleanly on SIGINT and keeps the outbox', async () => {
    const before = (await sys.outbox()).length;
    expect(before).toBeGreaterThan(0);
    expect(await sys.stop()).toBe(0);
    await sys.boot();
    expect((await sys.outbox()).length).toBe(before);
    const lines = readFileSync(join(sys.dataDir, 'outbox.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(before);
  });
});
