import { describe, expect, it } from 'vitest';
import { reopenableUntil, reopenWindowEnd } from '../../../functions/domain/reopen-window';
import { findService } from '../../../workflows/catalog';

const carePlan = findService('care-plan');
if (!carePlan?.reopen) throw new Error('the catalogue lacks the care plan');
const { reopen: _offered, ...withoutReopen } = carePlan;
const completedAt = '2026-03-02T09:00:00.000Z';
const end = '2026-03-30T09:00:00.000Z'; // the care plan's 28 days on
const completed = { status: 'COMPLETED', updatedAt: completedAt };

describe('the reopen window, said once for the reopening and both case pages', () => {
  it("ends the service's window days after completion, and includes that very moment", () => {
    expect(new Date(reopenWindowEnd(completedAt, 28)).toISOString()).toBe(end);
    expect(reopenableUntil(completed, carePlan, new Date(end))?.toISOString()).toBe(end);
    expect(reopenableUntil(completed, carePlan, new Date(Date.parse(end) + 1))).toBeUndefined();
  });

  it('offers nothing for a case that is not completed, is erased, or whose service does not reopen', () => {
    const now = new Date(completedAt);
    expect(reopenableUntil({ ...completed, status: 'ACTIVE' }, carePlan, now)).toBeUndefined();
    expect(reopenableUntil({ ...completed, erased: { at: completedAt } }, carePlan, now)).toBeUndefined();
    expect(reopenableUntil(completed, withoutReopen, now)).toBeUndefined();
  });
});
