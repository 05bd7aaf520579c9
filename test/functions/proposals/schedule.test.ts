import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../functions/domain/model';
import { nextSegment } from '../../../functions/proposals/schedule';

// Where a re-timed wait stands: present of the waste collection (reminder after 20 hours, due after
// 2 days, expiry after 7), opened at 06:00 on 2 March, its schedule shifted by 3 days.

const definition = { reminders: ['PT20H'], due: 'P2D', expiry: 'P7D' };
const DAY = 86_400;
const step = (over: Partial<StepRecord> = {}): StepRecord => ({
  caseId: 'c',
  stepId: 'present',
  actor: 'citizen',
  status: 'OPEN',
  visit: 1,
  openedAt: '2026-03-02T06:00:00.000Z',
  dueAt: '2026-03-07T06:00:00.000Z',
  expiresAt: '2026-03-12T06:00:00.000Z',
  reminders: 0,
  escalated: false,
  retime: { visit: 1, shiftSeconds: 3 * DAY },
  ...over,
});

describe('nextSegment', () => {
  it('waits, unannounced, until the shifted reminder when the invite was sent', () => {
    // 22 hours after opening: past the planned reminder (20 h), before the shifted one (3 d 20 h).
    expect(nextSegment(definition, step(), 1, '2026-03-03T04:00:00.000Z')).toEqual({
      expired: false,
      notice: 'none',
      seconds: 3 * DAY - 2 * 3600,
      shiftSeconds: 3 * DAY,
    });
  });

  it('sends the reminder once its shifted time has come, and not twice', () => {
    const at = '2026-03-06T02:00:00.000Z'; // the shifted reminder time
    expect(nextSegment(definition, step(), 1, at)).toMatchObject({ notice: 'reminder', seconds: 28 * 3600 });
    expect(nextSegment(definition, step({ reminders: 1 }), 1, at)).toMatchObject({ notice: 'none' });
  });

  it('escalates after the shifted due date, and expires after the shifted expiry', () => {
    expect(nextSegment(definition, step({ reminders: 1 }), 1, '2026-03-07T06:00:00.000Z')).toMatchObject({
      notice: 'escalation',
      seconds: 5 * DAY,
    });
    expect(nextSegment(definition, step(), 1, '2026-03-12T06:00:00.000Z')).toMatchObject({ expired: true });
  });

  it('moves earlier too, and ignores the shift of another visit', () => {
    const earlier = step({ retime: { visit: 1, shiftSeconds: -DAY } });
    // The shifted due date (3 March 06:00) has passed: escalation until the shifted expiry (8 March).
    expect(nextSegment(definition, earlier, 1, '2026-03-03T07:00:00.000Z')).toMatchObject({
      notice: 'escalation',
      seconds: 5 * DAY - 3600,
      shiftSeconds: -DAY,
    });
    const old = step({ visit: 2, retime: { visit: 1, shiftSeconds: 3 * DAY } });
    expect(nextSegment(definition, old, 2, '2026-03-03T04:00:00.000Z')).toMatchObject({
      notice: 'reminder',
      shiftSeconds: 0,
    });
  });

  it('never expires a step that was answered between two waits: a short wait hands the answer over', () => {
    expect(nextSegment(definition, step({ status: 'DONE' }), 1, '2026-03-20T00:00:00.000Z')).toMatchObject({
      expired: false,
      notice: 'none',
    });
  });
});
