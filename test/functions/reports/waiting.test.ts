import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../../functions/domain/model';
import { caseWaiting, waitedIn } from '../../../functions/reports/waiting';
import { spokenDuration, waitingSentence } from '../../../functions/reports/waiting-words';
import { testService } from '../../support/service-fixture';

// The rule of who waits on whom (functions/reports/waiting.ts), on hand-made event logs.

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const H = 3600_000;
const D = 24 * H;
const at = (ms: number) => new Date(T0 + ms).toISOString();
const entered = (stageId: string, visit: number, ms: number): CaseEvent => ({
  caseId: 'c',
  at: at(ms),
  type: 'STAGE_ENTERED',
  actor: 'system',
  detail: { stageId, visit },
});
const submitted = (stepId: string, actor: 'citizen' | 'provider', visit: number, ms: number): CaseEvent => ({
  caseId: 'c',
  at: at(ms),
  type: 'STEP_SUBMITTED',
  actor,
  stepId,
  detail: { visit },
});
const active = { status: 'ACTIVE' as const, at: at(0) };

describe('waitedIn: the rule for one stage visit', () => {
  it('is shared while both have open steps, then the side that is done waits on the other', () => {
    expect(waitedIn({ enteredAt: 0, endedAt: 5 * D, done: { citizen: 1 * D, provider: 3 * D } })).toEqual({
      shared: 86_400,
      citizenOnProvider: 2 * 86_400,
      providerOnCitizen: 0,
    });
    expect(waitedIn({ enteredAt: 0, endedAt: 3 * D, done: { citizen: 3 * D, provider: 2 * H } })).toEqual({
      shared: 7200,
      citizenOnProvider: 0,
      providerOnCitizen: 3 * 86_400 - 7200,
    });
  });

  it('counts a side without steps as done at entry: the other side is waited on from the start', () => {
    expect(waitedIn({ enteredAt: 0, endedAt: 2 * D, done: { provider: 0, citizen: 2 * D } })).toEqual({
      shared: 0,
      citizenOnProvider: 0,
      providerOnCitizen: 2 * 86_400,
    });
  });

  it('counts an open side up to the end of the visit (now, for a running one)', () => {
    expect(waitedIn({ enteredAt: 0, endedAt: 4 * D, done: { citizen: D } })).toEqual({
      shared: 86_400,
      citizenOnProvider: 3 * 86_400,
      providerOnCitizen: 0,
    });
    expect(waitedIn({ enteredAt: 0, endedAt: 4 * D, done: {} })).toEqual({
      shared: 4 * 86_400,
      citizenOnProvider: 0,
      providerOnCitizen: 0,
    });
  });
});

describe('caseWaiting: the stage visits of a case, from its events', () => {
  it('adds up complete visits and counts the running one up to now', () => {
    const events = [
      entered('prepare', 1, 0),
      submitted('confirm-address', 'citizen', 1, 2 * H),
      submitted('plan-route', 'provider', 1, 2 * D + 2 * H),
      entered('collect', 2, 2 * D + 2 * H),
      submitted('empty-bin', 'provider', 2, 3 * D),
    ];
    const w = caseWaiting(testService, events, active, new Date(T0 + 4 * D));
    expect(w.stages).toEqual([
      expect.objectContaining({ stageId: 'prepare', visit: 1, complete: true, endedAt: at(2 * D + 2 * H) }),
      expect.objectContaining({ stageId: 'collect', visit: 2, complete: false }),
    ]);
    expect(w.stages[1]?.endedAt).toBeUndefined();
    expect(w.stages[0]).toMatchObject({ shared: 7200, citizenOnProvider: 2 * 86_400, providerOnCitizen: 0 });
    // collect: entered at 2d2h, the provider emptied at 3d, the citizen has not said yet: now is 4d.
    expect(w.stages[1]).toMatchObject({ shared: 22 * 3600, citizenOnProvider: 0, providerOnCitizen: 86_400 });
    expect(w).toMatchObject({
      citizenOnProvider: 2 * 86_400,
      providerOnCitizen: 86_400,
      shared: 7200 + 22 * 3600,
    });
  });

  it('keeps the visits of a stage entered twice apart (a back-jump), and ends a visit at the next entry', () => {
    const events = [
      entered('prepare', 1, 0),
      submitted('confirm-address', 'citizen', 1, H),
      submitted('plan-route', 'provider', 1, 2 * H),
      entered('collect', 2, 2 * H),
      submitted('put-out', 'citizen', 2, 3 * H),
      // The case is sent back to prepare before the provider emptied the bin.
      entered('prepare', 3, 5 * H),
      submitted('plan-route', 'provider', 3, 6 * H),
      submitted('confirm-address', 'citizen', 3, 9 * H),
      entered('collect', 4, 9 * H),
    ];
    const w = caseWaiting(testService, events, active, new Date(T0 + 10 * H));
    expect(w.stages.map((s) => [s.stageId, s.visit, s.complete])).toEqual([
      ['prepare', 1, true],
      ['collect', 2, false],
      ['prepare', 3, true],
      ['collect', 4, false],
    ]);
    expect(w.stages[1]).toMatchObject({ endedAt: at(5 * H), shared: 3600, citizenOnProvider: 7200 });
    expect(w.stages[2]).toMatchObject({ shared: 3600, providerOnCitizen: 3 * 3600, citizenOnProvider: 0 });
    // A submission of visit 1 does not count for visit 3 of the same stage.
    expect(w.stages[0]).toMatchObject({ shared: 3600, providerOnCitizen: 0, citizenOnProvider: 3600 });
  });

  it('stops counting when the case closed, and ignores repeated stage entries', () => {
    const events = [
      entered('prepare', 1, 0),
      entered('prepare', 1, 0),
      submitted('confirm-address', 'citizen', 1, H),
    ];
    const w = caseWaiting(testService, events, { status: 'EXPIRED', at: at(3 * H) }, new Date(T0 + 100 * D));
    expect(w.stages).toHaveLength(1);
    expect(w.stages[0]).toMatchObject({
      endedAt: at(3 * H),
      complete: false,
      shared: 3600,
      citizenOnProvider: 7200,
    });
  });

  it('has nothing to say before the first stage', () => {
    expect(caseWaiting(testService, [], active, new Date(T0))).toEqual({
      citizenOnProvider: 0,
      providerOnCitizen: 0,
      shared: 0,
      stages: [],
    });
  });
});

describe('in words', () => {
  it('says durations as people do', () => {
    expect(spokenDuration(2 * 86_400, 'nl')).toBe('2 dagen');
    expect(spokenDuration(86_400 + 4 * 3600, 'nl')).toBe('1 dag en 4 uur');
    expect(spokenDuration(10 * 86_400 + 4 * 3600, 'en')).toBe('10 days');
    expect(spokenDuration(3 * 3600 + 600, 'en')).toBe('3 hours and 10 minutes');
    expect(spokenDuration(20, 'nl')).toBe('minder dan een minuut');
    expect(spokenDuration(150, 'en')).toBe('2 minutes');
  });

  it('tells each partner who waited on whom, with the organisation by its name', () => {
    const waited = { citizenOnProvider: 2 * 86_400, providerOnCitizen: 86_400, shared: 0 };
    expect(waitingSentence(waited, 'gemeente-utrecht', 'citizen', 'nl')).toBe(
      'U wachtte 2 dagen op Gemeente Utrecht; Gemeente Utrecht wachtte 1 dag op u.',
    );
    expect(waitingSentence(waited, 'gemeente-utrecht', 'citizen', 'en')).toBe(
      'You waited 2 days for Gemeente Utrecht; Gemeente Utrecht waited 1 day for you.',
    );
    expect(waitingSentence({ ...waited, providerOnCitizen: 0 }, 'gemeente-utrecht', 'provider', 'nl')).toBe(
      'De inwoner wachtte 2 dagen op Gemeente Utrecht; Gemeente Utrecht hoefde niet op de inwoner te wachten.',
    );
  });
});
