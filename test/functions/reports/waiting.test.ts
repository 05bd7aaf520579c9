import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../../functions/domain/model';
import { caseWaiting, waitedIn } from '../../../functions/reports/waiting';
import { spokenDuration, waitingSentence } from '../../../functions/reports/waiting-words';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';
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

  it('counts only the moments a side has a step open, when steps open one after another', () => {
    // Ping-pong: the citizen answers, the provider follows it, the citizen follows that.
    const busy = {
      citizen: [
        { from: 0, to: 2 * H },
        { from: 5 * H, to: 6 * H },
      ],
      provider: [{ from: 2 * H, to: 5 * H }],
    };
    expect(
      waitedIn({ enteredAt: 0, endedAt: 6 * H, done: { citizen: 6 * H, provider: 5 * H }, busy }),
    ).toEqual({
      shared: 0,
      citizenOnProvider: 3 * 3600,
      providerOnCitizen: 3 * 3600,
    });
    // Two steps of one side open at once count once; overlapping the other side's, the time is shared.
    const overlap = {
      citizen: [
        { from: 0, to: 4 * H },
        { from: H, to: 3 * H },
      ],
      provider: [{ from: 3 * H, to: 5 * H }],
    };
    expect(waitedIn({ enteredAt: 0, endedAt: 5 * H, done: {}, busy: overlap })).toEqual({
      shared: 3600,
      citizenOnProvider: 3600,
      providerOnCitizen: 3 * 3600,
    });
  });

  it('gives the same figures with the spans of steps that all open at entry as without them', () => {
    const done = { citizen: D + 1500, provider: 3 * D + 999 };
    const busy = { citizen: [{ from: 0, to: done.citizen }], provider: [{ from: 0, to: done.provider }] };
    const plain = waitedIn({ enteredAt: 0, endedAt: 5 * D, done });
    expect(plain).toEqual({ shared: 86_401, citizenOnProvider: 2 * 86_400 - 1, providerOnCitizen: 0 });
    expect(waitedIn({ enteredAt: 0, endedAt: 5 * D, done, busy })).toEqual(plain);
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

describe('caseWaiting: a step that opens when the other side has submitted its own', () => {
  // care-plan's agreement: the provider proposes the plan, the patient accepts it (`after: 'propose-plan'`).
  const carePlan = findService('care-plan') as Service;
  const propose = (visit: number, ms: number) => submitted('propose-plan', 'provider', visit, ms);
  const accept = (visit: number, ms: number) => submitted('accept-plan', 'citizen', visit, ms);

  it('has the citizen wait on the plan, then the provider on the answer, with no time shared', () => {
    const events = [entered('agreement', 1, 0), propose(1, 2 * D), accept(1, 2 * D + 5 * H)];
    const w = caseWaiting(carePlan, events, active, new Date(T0 + 9 * D));
    expect(w.stages).toEqual([
      {
        stageId: 'agreement',
        visit: 1,
        enteredAt: at(0),
        endedAt: at(2 * D + 5 * H),
        complete: true,
        shared: 0,
        citizenOnProvider: 2 * 86_400,
        providerOnCitizen: 5 * 3600,
      },
    ]);
  });

  it('gives the figures of steps that all open at entry when the stage has no `after`', () => {
    const stages = carePlan.stages.map((stage) => ({
      ...stage,
      steps: stage.steps.map(({ after: _, ...step }) => step),
    }));
    const events = [entered('agreement', 1, 0), propose(1, 2 * D), accept(1, 2 * D + 5 * H)];
    const w = caseWaiting({ ...carePlan, stages }, events, active, new Date(T0 + 9 * D));
    expect(w.stages[0]).toMatchObject({
      shared: 2 * 86_400,
      citizenOnProvider: 0,
      providerOnCitizen: 5 * 3600,
    });
  });

  it('gives exactly the figures of the plain rule for a stage whose steps have no `after`', () => {
    // care-plan's assessment: both steps open at entry.
    const events = [
      entered('assessment', 1, 0),
      submitted('provider-assessment', 'provider', 1, 7 * H + 1234),
      submitted('own-possibilities', 'citizen', 1, 2 * D + 999),
    ];
    const w = caseWaiting(carePlan, events, active, new Date(T0 + 9 * D));
    const plain = waitedIn({
      enteredAt: T0,
      endedAt: T0 + 2 * D + 999,
      done: { provider: T0 + 7 * H + 1234, citizen: T0 + 2 * D + 999 },
    });
    expect(plain).toEqual({
      shared: 7 * 3600 + 1,
      citizenOnProvider: 0,
      providerOnCitizen: 2 * 86_400 - 7 * 3600 - 1,
    });
    expect(w.stages[0]).toMatchObject({ complete: true, ...plain });
  });

  it('has the side whose step waits on a step never submitted wait on the other, up to now', () => {
    const w = caseWaiting(carePlan, [entered('agreement', 1, 0)], active, new Date(T0 + 3 * D + 1500));
    expect(w.stages[0]).toMatchObject({
      complete: false,
      shared: 0,
      citizenOnProvider: 3 * 86_400 + 1,
      providerOnCitizen: 0,
    });
    expect(w.stages[0]?.endedAt).toBeUndefined();
    // Proposed, not yet answered: now the provider waits on the patient.
    const proposed = [entered('agreement', 1, 0), propose(1, D)];
    expect(caseWaiting(carePlan, proposed, active, new Date(T0 + 3 * D)).stages[0]).toMatchObject({
      shared: 0,
      citizenOnProvider: 86_400,
      providerOnCitizen: 2 * 86_400,
    });
  });

  it('ends a visit at a new stage entry, and opens the follower only on its predecessor of the same visit', () => {
    const events = [
      entered('agreement', 1, 0),
      propose(1, D),
      // The patient rejects the plan: back to the assessment.
      accept(1, 2 * D),
      entered('assessment', 2, 2 * D),
      submitted('own-possibilities', 'citizen', 2, 3 * D),
      submitted('provider-assessment', 'provider', 2, 4 * D),
      entered('agreement', 3, 4 * D),
      // The case moves on before a plan was proposed in this visit (say, the assessment is redone).
      entered('assessment', 4, 7 * D),
    ];
    const w = caseWaiting(carePlan, events, active, new Date(T0 + 8 * D));
    expect(w.stages.map((s) => [s.stageId, s.visit, s.complete, s.endedAt])).toEqual([
      ['agreement', 1, true, at(2 * D)],
      ['assessment', 2, true, at(4 * D)],
      ['agreement', 3, false, at(7 * D)],
      ['assessment', 4, false, undefined],
    ]);
    expect(w.stages[0]).toMatchObject({ shared: 0, citizenOnProvider: 86_400, providerOnCitizen: 86_400 });
    expect(w.stages[1]).toMatchObject({ shared: 86_400, citizenOnProvider: 86_400, providerOnCitizen: 0 });
    // The plan of the first visit opens nothing here, and its answer closes nothing: the patient has had
    // nothing to answer, and waited on the provider until the new entry ended the visit.
    expect(w.stages[2]).toMatchObject({ shared: 0, citizenOnProvider: 3 * 86_400, providerOnCitizen: 0 });
    expect(w.stages[3]).toMatchObject({ shared: 86_400, citizenOnProvider: 0, providerOnCitizen: 0 });
    expect(w).toMatchObject({ shared: 2 * 86_400, citizenOnProvider: 5 * 86_400, providerOnCitizen: 86_400 });
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
