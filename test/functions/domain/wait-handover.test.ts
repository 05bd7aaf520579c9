import { describe, expect, it } from 'vitest';
import type { CaseRecord, StepRecord } from '../../../functions/domain/model';
import { LAST_WAIT_MARGIN_MS, nextWaitTakesOver } from '../../../functions/domain/wait-handover';
import { FakeRepository } from '../../support/fakes';
import { makeCase } from './sms-fakes';

// Whether a refused token's answer is kept for the step's next wait (wait-handover.ts).

const NOW = new Date('2026-03-02T10:00:00.000Z');

async function repoWith(status: CaseRecord['status']) {
  const repo = new FakeRepository();
  await repo.createCase(makeCase('case1', { status }), 'link-hash');
  return repo;
}

const step = (over: Partial<StepRecord>): StepRecord => ({
  caseId: 'case1',
  stepId: 'present',
  actor: 'citizen',
  status: 'DONE',
  visit: 1,
  openedAt: '2026-03-01T06:00:00.000Z',
  dueAt: '2026-03-03T06:00:00.000Z',
  expiresAt: '2026-03-08T06:00:00.000Z',
  taskToken: 'token-1',
  reminders: 0,
  escalated: false,
  ...over,
});

const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('nextWaitTakesOver', () => {
  it('is true before the expiry of an active case, and for a wait an accepted proposal ended', async () => {
    const active = await repoWith('ACTIVE');
    expect(await nextWaitTakesOver(active, step({}), NOW)).toBe(true);
    expect(await nextWaitTakesOver(active, step({ expiresAt: at(LAST_WAIT_MARGIN_MS) }), NOW)).toBe(true);
    // Re-armed by a proposal that moved the expiry to now: retime-step hands the answer over still.
    expect(await nextWaitTakesOver(active, step({ expiresAt: at(0), tokenRetimed: true }), NOW)).toBe(true);
  });

  it('is false within a minute of the expiry or after it: that wait may have been the last', async () => {
    const active = await repoWith('ACTIVE');
    expect(await nextWaitTakesOver(active, step({ expiresAt: at(LAST_WAIT_MARGIN_MS - 1) }), NOW)).toBe(
      false,
    );
    expect(await nextWaitTakesOver(active, step({ expiresAt: at(-3_600_000) }), NOW)).toBe(false);
  });

  it('is false for a case that was stopped, whatever the schedule says', async () => {
    for (const status of ['CANCELLED', 'EXPIRED', 'FAILED'] as const) {
      const stopped = await repoWith(status);
      expect(await nextWaitTakesOver(stopped, step({}), NOW)).toBe(false);
      expect(await nextWaitTakesOver(stopped, step({ tokenRetimed: true }), NOW)).toBe(false);
    }
  });
});
