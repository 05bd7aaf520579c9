import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, getCase, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem } from './harness';
import {
  DAY,
  dayAfter,
  EngineClock,
  HOUR,
  isEscalation,
  isReminder,
  sleep,
  textsArrive,
  textsTo,
} from './partnership';
import { withLocalSystem } from './setup';

// The acceptance scenario's other re-timings (partnership.test.ts has the household's step moved
// before any notice): the household's step moved after its reminder went out (the escalation and the
// expiry move, the reminder is not sent again), the municipality's own step moved on the household's
// request (its reminder and escalation move), and a proposal that lapses when its step closes.

let sys: LocalSystem;
let staff: string;
let clock: EngineClock;
const ORG = `gemeente-later-${Date.now().toString(36)}`;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
  clock = new EngineClock(started);
});

const proposal = (path: string, json: unknown, token?: string) =>
  sys.request('POST', path, { json, ...(token && { token }) });

describe('re-timed notices, end to end on the engine clock', () => {
  it('moves what is still to come, never sends a notice twice, and lets a proposal lapse with its step', async () => {
    const c = await createCase(sys, 'waste-collection', staff); // the household's step, moved late
    const d = await createCase(sys, 'waste-collection', staff); // the municipality's step, moved
    const e = await createCase(sys, 'waste-collection', staff); // a proposal that lapses
    const f = await createCase(sys, 'waste-collection', staff); // the municipality's step, a day earlier
    const cOpened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    const dOpened = step(await stepOpen(sys, d.caseId, 'collect', staff), 'collect');
    await stepOpen(sys, e.caseId, 'present', staff);
    const collected = answers('waste-collection', 'collect');
    expect((await provider(sys, c.caseId, 'collect', staff, collected)).status).toBe(200);
    const presented = answers('waste-collection', 'present');
    expect((await citizenWeb(sys, d.linkToken, 'present', presented)).status).toBe(303);

    // D: the household asks the municipality to collect a day later; it agrees.
    const asked = await proposal(`/c/${d.linkToken}/steps/collect/proposals`, {
      dueAt: dayAfter(dOpened.dueAt, 1),
      reason: 'Dan sta ik thuis',
    });
    expect(asked.status, asked.text).toBe(201);
    const agreed = await proposal(
      `/cases/${d.caseId}/proposals/${asked.json.proposalId}`,
      { accept: true },
      staff,
    );
    expect(agreed.status, agreed.text).toBe(200);

    // F: "can you collect a day earlier?": the due date moves back a day, and so does the escalation.
    const fOpened = step(await stepOpen(sys, f.caseId, 'collect', staff), 'collect');
    const earlier = await proposal(`/c/${f.linkToken}/steps/collect/proposals`, {
      dueAt: dayAfter(fOpened.dueAt, -1),
      reason: 'Morgen ben ik weg',
    });
    expect(earlier.status, earlier.text).toBe(201);
    const fine = await proposal(
      `/cases/${f.caseId}/proposals/${earlier.json.proposalId}`,
      { accept: true },
      staff,
    );
    expect(fine.status, fine.text).toBe(200);
    const fCollect = async () => step(await getCase(sys, f.caseId, staff), 'collect');
    expect(Date.parse((await fCollect()).dueAt) - Date.parse(fOpened.dueAt)).toBe(-DAY * 1000);

    // E: the organisation's proposal is open when the household answers the step: it lapses.
    const open = await proposal(
      `/cases/${e.caseId}/steps/present/proposals`,
      { dueAt: dayAfter(cOpened.dueAt, 1), reason: 'Feestdag' },
      staff,
    );
    expect(open.status, open.text).toBe(201);
    expect((await citizenWeb(sys, e.linkToken, 'present', presented)).status).toBe(303);
    await stepOpen(sys, e.caseId, 'collect', staff);
    const lapsed = await proposal(`/c/${e.linkToken}/proposals/${open.json.proposalId}`, { accept: true });
    expect(lapsed.status).toBe(409);
    expect(lapsed.json).toMatchObject({ error: { code: 'PROPOSAL_EXPIRED' } });
    expect((await getCase(sys, e.caseId, staff)).proposals).toEqual([
      expect.objectContaining({ status: 'EXPIRED' }),
    ]);

    // 21 h: C's reminder (20 h) went out. Then the organisation moves C's step 2 days; the household agrees.
    await clock.advance(21 * HOUR);
    await textsArrive(sys, c.phone, isReminder, 1);
    expect((await fCollect()).escalated).toBeFalsy(); // F is due at 24 h, not yet
    const moved = await proposal(
      `/cases/${c.caseId}/steps/present/proposals`,
      { dueAt: dayAfter(cOpened.dueAt, 2), reason: 'Route verlegd' },
      staff,
    );
    expect(moved.status, moved.text).toBe(201);
    const yes = await proposal(`/c/${c.linkToken}/proposals/${moved.json.proposalId}`, { accept: true });
    expect(yes.status, yes.text).toBe(200);

    const collect = async () => step(await getCase(sys, d.caseId, staff), 'collect');
    await clock.advance(4 * HOUR); // 25 h: past D's old reminder (1 d); F's new due date (1 d)
    await eventually(async () => (await fCollect()).escalated === true, "F's earlier escalation");
    expect((await fCollect()).reminders).toBeLessThanOrEqual(1);
    expect((await provider(sys, f.caseId, 'collect', staff, collected)).status).toBe(200);
    expect(await collect()).toMatchObject({ status: 'OPEN', reminders: 0 });
    await clock.advance(24 * HOUR); // 49 h: D's new reminder (2 d); past C's old due date (2 d)
    await eventually(async () => (await collect()).reminders === 1, "D's re-timed reminder");
    expect((await collect()).escalated).toBeFalsy();
    expect((await textsTo(sys, c.phone)).filter((m) => isEscalation(m.body))).toHaveLength(0);
    await clock.advance(24 * HOUR); // 73 h: D's new due date (3 d)
    await eventually(async () => (await collect()).escalated === true, "D's re-timed escalation");
    expect((await collect()).reminders).toBe(1);
    expect((await provider(sys, d.caseId, 'collect', staff, collected)).status).toBe(200);

    await clock.advance(22 * HOUR); // 95 h: just before C's new due date (4 d)
    await sleep(1500);
    expect((await textsTo(sys, c.phone)).filter((m) => isEscalation(m.body))).toHaveLength(0);
    await clock.advance(2 * HOUR); // 97 h
    expect(await textsArrive(sys, c.phone, isEscalation, 1)).toHaveLength(1);
    expect((await textsTo(sys, c.phone)).filter((m) => isReminder(m.body))).toHaveLength(1);
    expect(step(await getCase(sys, c.caseId, staff), 'present')).toMatchObject({
      reminders: 1,
      escalated: true,
    });

    // C's expiry moved from 7 to 9 days.
    const expiresAt = step(await getCase(sys, c.caseId, staff), 'present').expiresAt;
    expect(Date.parse(expiresAt) - Date.parse(cOpened.expiresAt)).toBe(2 * DAY * 1000);
    await clock.advance(72 * HOUR); // 169 h: past the old expiry (7 d), before the new (9 d)
    await sleep(1500);
    expect((await getCase(sys, c.caseId, staff)).status).toBe('ACTIVE');
    await clock.advance(2 * DAY); // 217 h: past the new expiry
    const expired = await caseStatus(sys, c.caseId, staff, 'EXPIRED');
    // It ended at the moved expiry (the engine's clock), not at the planned one.
    expect(Date.parse(expired.updatedAt)).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect((await textsTo(sys, c.phone)).filter((m) => isReminder(m.body))).toHaveLength(1);
    // The municipality collected at once and waited on the household until the moved expiry; then it stops.
    const round = (expired.waiting.stages as { stageId: string }[]).find((v) => v.stageId === 'round');
    const collectedAt = (expired.events as { type: string; stepId?: string; at: string }[]).find(
      (ev) => ev.type === 'STEP_SUBMITTED' && ev.stepId === 'collect',
    )?.at;
    const waited = Math.floor((Date.parse(expired.updatedAt) - Date.parse(String(collectedAt))) / 1000);
    expect(round).toMatchObject({ complete: false, citizenOnProvider: 0, providerOnCitizen: waited });
    await clock.advance(DAY);
    expect((await getCase(sys, c.caseId, staff)).waiting).toEqual(expired.waiting);
  });

  it('counts concurrent proposals and answers once: one proposal opens, one answer moves the date', async () => {
    const g = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, g.caseId, 'present', staff), 'present');
    const both = await Promise.all(
      [1, 2].map((days) =>
        proposal(`/c/${g.linkToken}/steps/present/proposals`, {
          dueAt: dayAfter(opened.dueAt, days),
          reason: 'Liever later',
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const made = both.find((r) => r.status === 201)?.json;
    const answered = await Promise.all(
      [true, true, false].map((accept) =>
        proposal(`/cases/${g.caseId}/proposals/${made.proposalId}`, { accept }, staff),
      ),
    );
    expect(answered.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const view = await getCase(sys, g.caseId, staff);
    expect(view.proposals).toHaveLength(1);
    const [only] = view.proposals as { status: string; dueAt: string }[];
    // Whichever answer came first counts; an acceptance moves the date by the days asked, once.
    const asked =
      only?.status === 'ACCEPTED' ? Date.parse(only.dueAt) - Date.parse(dayAfter(opened.dueAt, 0)) : 0;
    expect(Date.parse(step(view, 'present').dueAt) - Date.parse(opened.dueAt)).toBe(asked);
    const retimed = (view.events as { type: string }[]).filter((e) => e.type === 'STEP_RETIMED');
    expect(retimed).toHaveLength(only?.status === 'ACCEPTED' ? 1 : 0);
  });

  it('an answer racing the acceptance of its step’s proposal counts once, whichever comes first', async () => {
    const cases = await Promise.all([1, 2, 3].map(() => createCase(sys, 'waste-collection', staff)));
    for (const h of cases) {
      const opened = step(await stepOpen(sys, h.caseId, 'present', staff), 'present');
      const asked = await proposal(`/c/${h.linkToken}/steps/present/proposals`, {
        dueAt: dayAfter(opened.dueAt, 2),
        reason: 'Liever later',
      });
      const data = answers('waste-collection', 'present');
      const answer = () => sys.request('POST', `/c/${h.linkToken}/steps/present`, { json: { data } });
      const [accepted, answered] = await Promise.all([
        proposal(`/cases/${h.caseId}/proposals/${asked.json.proposalId}`, { accept: true }, staff),
        answer(),
      ]);
      // The answer first: the proposal lapses with its closed step (409). The acceptance first: the
      // answer meets the re-armed wait, or the moment between the two waits, and counts either way.
      expect([200, 409]).toContain(accepted.status);
      expect(answered.status, answered.text).toBe(200);
      const view = await stepOpen(sys, h.caseId, 'collect', staff);
      const submitted = (view.events as { type: string; stepId?: string }[]).filter(
        (ev) => ev.type === 'STEP_SUBMITTED' && ev.stepId === 'present',
      );
      expect(submitted).toHaveLength(1);
      expect(step(view, 'present').status).toBe('DONE');
    }
  });

  it('an answer sent right after the acceptance, while the wait re-arms, is taken by the new wait', async () => {
    const h = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, h.caseId, 'present', staff), 'present');
    const asked = await proposal(`/c/${h.linkToken}/steps/present/proposals`, {
      dueAt: dayAfter(opened.dueAt, 2),
      reason: 'Liever later',
    });
    // The re-time takes its time (as a cold start would): the answer surely comes between the two waits.
    const slow = await sys.request('POST', '/local/faults', {
      json: { function: 'retime-step', times: 1, delayMs: 2_000 },
    });
    expect(slow.status, slow.text).toBe(201);
    const accepted = await proposal(
      `/cases/${h.caseId}/proposals/${asked.json.proposalId}`,
      { accept: true },
      staff,
    );
    expect(accepted.status, accepted.text).toBe(200);
    // The old token is gone, the new one not yet recorded.
    const data = answers('waste-collection', 'present');
    const answered = await sys.request('POST', `/c/${h.linkToken}/steps/present`, { json: { data } });
    expect(answered.status, answered.text).toBe(200);
    const view = await stepOpen(sys, h.caseId, 'collect', staff);
    const submitted = (view.events as { type: string; stepId?: string }[]).filter(
      (ev) => ev.type === 'STEP_SUBMITTED' && ev.stepId === 'present',
    );
    expect(submitted).toHaveLength(1);
    const present = step(view, 'present');
    expect(present.status).toBe('DONE');
    expect(Date.parse(present.dueAt) - Date.parse(opened.dueAt)).toBe(2 * DAY * 1000);
  });
});
