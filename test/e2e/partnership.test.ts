import { describe, expect, it } from 'vitest';
import { type Created, caseStatus, citizenWeb, createCase, getCase, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem, type Loose } from './harness';
import {
  csvRows,
  DAY,
  dayAfter,
  EngineClock,
  HOUR,
  isEscalation,
  isReminder,
  type Moment,
  near,
  sleep,
  spans,
  stageOf,
  textsArrive,
  textsTo,
  timed,
  visitFromEvents,
} from './partnership';
import { withLocalSystem } from './setup';

// Issue 12's acceptance scenario, over the HTTP API against the local runtime, on the engine clock.
// Case A, a waste collection: due dates negotiated both ways (with every limit), the household's step
// re-timed by 3 days so its reminder and escalation come 3 days late, a helper answering that step, a
// known timeline of clock moves whose waiting the case and the report must show. Case B: the
// organisation's proposal accepted by SMS, completed at once. Then: A reopened inside its window, B
// refused outside it, on the fast-forwarded clock.
// The waste collection: `present` (household) reminder 20 h, due 2 d, expiry 7 d; `collect`
// (municipality) reminder 1 d, due 2 d, expiry 5 d; proposals a week either way, two per side.

let sys: LocalSystem;
let staff: string;
let clock: EngineClock;
const ORG = `gemeente-samen-${Date.now().toString(36)}`;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
  clock = new EngineClock(started);
});

const asJson = { accept: 'application/json' };
const tokenOf = (link: unknown) => String(link).slice(String(link).lastIndexOf('/c/') + 3);
const own = (c: Created) => sys.request('GET', `/c/${c.linkToken}`, { headers: asJson });

// What the scenario carries from one part to the next.
let a: Created;
let b: Created;
let presentDue: string; // A's `present`, as first planned
let helper: string; // the helper's link token
let delegateId: string;
let shortHelper: string; // a helper's link that ends with tomorrow
/** On the engine clock: A's round entered, `collect` answered, `present` answered, and the feedback. */
const never: Moment = { before: 0, after: 0 };
const at = {
  entered: never,
  collect: never,
  present: never,
  feedbackEntered: never,
  household: never,
  municipality: never,
};

function proposeAsStaff(c: Created, stepId: string, dueAt: string) {
  return sys.request('POST', `/cases/${c.caseId}/steps/${stepId}/proposals`, {
    token: staff,
    json: { dueAt, reason: 'Andere route' },
  });
}
function proposeAsCitizen(c: Created, stepId: string, dueAt: string) {
  return sys.request('POST', `/c/${c.linkToken}/steps/${stepId}/proposals`, {
    json: { dueAt, reason: 'Ik ben op vakantie' },
  });
}
const answerAsStaff = (c: Created, id: unknown, accept: boolean) =>
  sys.request('POST', `/cases/${c.caseId}/proposals/${id}`, { token: staff, json: { accept, note: 'Goed' } });
const answerAsCitizen = (c: Created, id: unknown, accept: boolean) =>
  sys.request('POST', `/c/${c.linkToken}/proposals/${id}`, { json: { accept, note: 'Liever niet' } });

describe('partners, not customers: the acceptance scenario of issue 12', () => {
  it('proposals both ways: accepted, declined (JSON and by SMS), and every limit refused clearly', async () => {
    const entering = clock.now();
    a = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, a.caseId, 'present', staff);
    // Both due dates from the view in which both steps are open: the first view may not hold 'collect' yet.
    const opened = await stepOpen(sys, a.caseId, 'collect', staff);
    at.entered = { before: entering, after: clock.now() };
    b = await createCase(sys, 'waste-collection', staff);
    presentDue = step(opened, 'present').dueAt;
    const collectDue = step(opened, 'collect').dueAt;

    // The household asks 3 days more for its own step; a second open proposal on it is refused.
    const asked = await proposeAsCitizen(a, 'present', dayAfter(presentDue, 3));
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json).toMatchObject({ status: 'OPEN' });
    const second = await proposeAsStaff(a, 'present', dayAfter(presentDue, 1));
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: { code: 'PROPOSAL_ALREADY_OPEN' } });
    // Only the other side answers (403), once (409).
    expect((await answerAsCitizen(a, asked.json.proposalId, true)).status).toBe(403);
    const accepted = await answerAsStaff(a, asked.json.proposalId, true);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'ACCEPTED', stepId: 'present' });
    // The answer gives the step's new due moment: the planned one, 3 days on.
    expect(Date.parse(accepted.json.dueAt) - Date.parse(presentDue)).toBe(3 * DAY * 1000);
    const twice = await answerAsStaff(a, asked.json.proposalId, false);
    expect(twice.status).toBe(409);
    expect(twice.json).toMatchObject({ error: { code: 'PROPOSAL_ANSWERED' } });

    // The municipality asks a day more for its own step; the household declines (JSON), once.
    const theirs = await proposeAsStaff(a, 'collect', dayAfter(collectDue, 1));
    expect(theirs.status, theirs.text).toBe(201);
    expect((await answerAsStaff(a, theirs.json.proposalId, true)).status).toBe(403);
    const declined = await answerAsCitizen(a, theirs.json.proposalId, false);
    expect(declined.status, declined.text).toBe(200);
    expect(declined.json).toMatchObject({ status: 'DECLINED', stepId: 'collect' });
    expect((await answerAsCitizen(a, theirs.json.proposalId, true)).status).toBe(409);

    // Too far (more than a week from the planned day): 400. Two per side: the household's third is 409.
    expect((await proposeAsCitizen(a, 'present', dayAfter(presentDue, 9))).status).toBe(400);
    const again = await proposeAsCitizen(a, 'present', dayAfter(presentDue, 2));
    expect(again.status, again.text).toBe(201);
    expect((await answerAsStaff(a, again.json.proposalId, false)).status).toBe(200);
    const over = await proposeAsCitizen(a, 'present', dayAfter(presentDue, 4));
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ error: { code: 'PROPOSAL_LIMIT_REACHED' } });

    // Both views list the proposals; only the accepted one moved a due date, by exactly 3 days.
    const view = await getCase(sys, a.caseId, staff);
    const statuses = (view.proposals as Loose[]).map((p) => [p.stepId, p.by, p.status]);
    expect(statuses).toEqual([
      ['present', 'citizen', 'ACCEPTED'],
      ['collect', 'provider', 'DECLINED'],
      ['present', 'citizen', 'DECLINED'],
    ]);
    expect((await own(a)).json.proposals).toEqual(view.proposals);
    expect(Date.parse(step(view, 'present').dueAt) - Date.parse(presentDue)).toBe(3 * DAY * 1000);
    expect(step(view, 'collect').dueAt).toBe(collectDue);

    // Case B: the municipality proposes for the household's step; the household says "<code> JA" by SMS.
    const bOpened = step(await stepOpen(sys, b.caseId, 'present', staff), 'present');
    await textsArrive(sys, b.phone, () => true, 1);
    const forB = await proposeAsStaff(b, 'present', dayAfter(bOpened.dueAt, 2));
    expect(forB.status, forB.text).toBe(201);
    const [, texted] = await textsArrive(sys, b.phone, () => true, 2);
    const code = /Stuur (\w\d) JA of \1 NEE/.exec(String(texted?.body))?.[1];
    expect(code, texted?.body).toBeDefined();
    expect((await sys.sms(b.phone, `${code} JA`)).status).toBe(200);
    const bView = await getCase(sys, b.caseId, staff);
    expect(bView.proposals).toEqual([expect.objectContaining({ by: 'provider', status: 'ACCEPTED' })]);
    expect(Date.parse(step(bView, 'present').dueAt) - Date.parse(bOpened.dueAt)).toBe(2 * DAY * 1000);
    expect((bView.events as Loose[]).find((e) => e.type === 'PROPOSAL_ACCEPTED')).toMatchObject({
      actor: 'citizen',
      channel: 'sms',
    });
    // B runs to the end at once (before any clock move): the household first, the municipality after.
    expect(
      (await citizenWeb(sys, b.linkToken, 'present', answers('waste-collection', 'present'))).status,
    ).toBe(303);
    expect(
      (await provider(sys, b.caseId, 'collect', staff, answers('waste-collection', 'collect'))).status,
    ).toBe(200);
    await stepOpen(sys, b.caseId, 'household-feedback', staff);
    const feedback = answers('waste-collection', 'household-feedback', { satisfied: 'ja' });
    expect((await citizenWeb(sys, b.linkToken, 'household-feedback', feedback)).status).toBe(303);
    const last = answers('waste-collection', 'municipality-feedback');
    expect((await provider(sys, b.caseId, 'municipality-feedback', staff, last)).status).toBe(200);
    await caseStatus(sys, b.caseId, staff, 'COMPLETED');
  });

  it('a helper gets a link for one step, and may not add helpers, export or reopen', async () => {
    const added = await sys.request('POST', `/c/${a.linkToken}/delegates`, {
      json: { name: 'Anna de Vries', steps: ['present'] },
    });
    expect(added.status, added.text).toBe(201);
    delegateId = String(added.json.delegateId);
    helper = tokenOf(added.json.link);
    expect(helper).not.toBe(a.linkToken);
    for (const [method, path, json] of [
      ['POST', `/c/${helper}/delegates`, { name: 'Bob', steps: 'all' }],
      ['GET', `/c/${helper}/export`, undefined],
      ['POST', `/c/${helper}/reopen`, { reason: 'Niet geleegd' }],
    ] as const) {
      const res = await sys.request(method, path, { headers: asJson, ...(json && { json }) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe('DELEGATE_LINK');
    }
    // A second helper, for the whole case, whose link works until the end of tomorrow.
    const brief = await sys.request('POST', `/c/${a.linkToken}/delegates`, {
      json: {
        name: 'Buurman Kees',
        steps: 'all',
        expiresAt: dayAfter(new Date(clock.now()).toISOString(), 1),
      },
    });
    expect(brief.status, brief.text).toBe(201);
    shortHelper = tokenOf(brief.json.link);
    expect((await sys.request('GET', `/c/${shortHelper}`)).status).toBe(200);
  });

  it('the re-timed reminder and escalation arrive 3 days late; the declined step keeps its timing', async () => {
    const reminders = async () => (await textsTo(sys, a.phone)).filter((m) => isReminder(m.body));
    const escalations = async () => (await textsTo(sys, a.phone)).filter((m) => isEscalation(m.body));
    const collect = async () => step(await getCase(sys, a.caseId, staff), 'collect');

    await clock.advance(21 * HOUR); // past the old reminder (20 h)
    await sleep(1500);
    expect(await reminders()).toHaveLength(0);
    await clock.advance(4 * HOUR); // 25 h: the municipality's own step is reminded on its day (1 d)
    await eventually(async () => (await collect()).reminders === 1, 'collect reminded');
    expect(await reminders()).toHaveLength(0);
    await clock.advance(24 * HOUR); // 49 h: past the old due date (2 d); `collect` is overdue on time
    await eventually(async () => (await collect()).escalated === true, 'collect escalated');
    expect(await escalations()).toHaveLength(0);
    expect(await reminders()).toHaveLength(0);

    // A running stage counts up to now, on the engine's clock: so far all of it shared.
    const [now, asked] = await timed(clock, () => getCase(sys, a.caseId, staff));
    const running = stageOf(now, 'round');
    expect(running).toMatchObject({ complete: false, citizenOnProvider: 0, providerOnCitizen: 0 });
    expect(spans(running.shared, at.entered, asked), `${running.shared}`).toBe(true);

    // The municipality collects now: from here on it waits on the household.
    const collected = answers('waste-collection', 'collect');
    const [done, collectedAt] = await timed(clock, () =>
      provider(sys, a.caseId, 'collect', staff, collected),
    );
    expect(done.status).toBe(200);
    at.collect = collectedAt;

    await clock.advance(42 * HOUR); // 91 h: just before the new reminder (20 h + 3 d = 92 h)
    await sleep(1500);
    expect(await reminders()).toHaveLength(0);
    await clock.advance(2 * HOUR); // 93 h: the reminder, once
    expect(await textsArrive(sys, a.phone, isReminder, 1)).toHaveLength(1);
    await clock.advance(26 * HOUR); // 119 h: just before the new due date (2 d + 3 d = 120 h)
    await sleep(1500);
    expect(await escalations()).toHaveLength(0);
    await clock.advance(2 * HOUR); // 121 h: the escalation, once
    expect(await textsArrive(sys, a.phone, isEscalation, 1)).toHaveLength(1);
    const view = await getCase(sys, a.caseId, staff);
    expect(step(view, 'present')).toMatchObject({ status: 'OPEN', reminders: 1, escalated: true });
    expect(await reminders()).toHaveLength(1);
  });

  it('the helper answers the step handed over, is refused elsewhere, and not at all once withdrawn', async () => {
    // Five days on, the other helper's link has ended on the engine's clock.
    const ended = await sys.request('GET', `/c/${shortHelper}`, { headers: asJson });
    expect(ended.status).toBe(410);
    expect(ended.json.error.code).toBe('LINK_EXPIRED');
    const [answered, presentAt] = await timed(clock, () =>
      sys.request('POST', `/c/${helper}/steps/present`, {
        json: { data: answers('waste-collection', 'present') },
      }),
    );
    expect(answered.status, answered.text).toBe(200);
    at.present = presentAt;
    const moved = await stepOpen(sys, a.caseId, 'household-feedback', staff);
    at.feedbackEntered = { before: presentAt.before, after: clock.now() };
    expect(step(moved, 'present').answeredBy).toEqual({ delegateId, name: 'Anna de Vries' });
    const submitted = (moved.events as Loose[]).find(
      (e) => e.type === 'STEP_SUBMITTED' && e.stepId === 'present',
    );
    expect(submitted).toMatchObject({ actor: 'citizen', detail: { delegateId, delegate: 'Anna de Vries' } });
    const page = await sys.request('GET', `/c/${a.linkToken}`);
    expect(page.text).toContain('Ingevuld door Anna de Vries, namens u');

    const notHanded = await sys.request('POST', `/c/${helper}/steps/household-feedback`, {
      json: { data: answers('waste-collection', 'household-feedback') },
    });
    expect(notHanded.status).toBe(403);
    expect(notHanded.json.error.code).toBe('NOT_DELEGATED');

    const revoked = await sys.request('DELETE', `/c/${a.linkToken}/delegates/${delegateId}`);
    expect(revoked.status, revoked.text).toBe(200);
    expect((await sys.request('GET', `/c/${helper}`, { headers: asJson })).status).toBe(410);
    const late = await sys.request('POST', `/c/${helper}/steps/household-feedback`, {
      json: { data: answers('waste-collection', 'household-feedback') },
    });
    expect(late.status).toBe(410);

    // The feedback: the household at once, the municipality a day later; the case completes.
    const feedback = answers('waste-collection', 'household-feedback', { satisfied: 'ja' });
    const [household, householdAt] = await timed(clock, () =>
      citizenWeb(sys, a.linkToken, 'household-feedback', feedback),
    );
    expect(household.status).toBe(303);
    at.household = householdAt;
    await clock.advance(DAY);
    const last = answers('waste-collection', 'municipality-feedback');
    const [municipality, municipalityAt] = await timed(clock, () =>
      provider(sys, a.caseId, 'municipality-feedback', staff, last),
    );
    expect(municipality.status).toBe(200);
    at.municipality = municipalityAt;
    await caseStatus(sys, a.caseId, staff, 'COMPLETED');
  });

  it('waiting follows the clock moves and the events, in both views', async () => {
    const view = await getCase(sys, a.caseId, staff);
    const round = stageOf(view, 'round');
    const feedback = stageOf(view, 'feedback');
    // From the clock moves: shared until the municipality collected (49 h), then it waited on the
    // household until the helper answered (72 h); in the feedback the household waited a day.
    expect(round).toMatchObject({ complete: true, citizenOnProvider: 0 });
    expect(spans(round.shared, at.entered, at.collect), `shared ${round.shared}`).toBe(true);
    expect(spans(round.providerOnCitizen, at.collect, at.present), `${round.providerOnCitizen}`).toBe(true);
    expect(near(round.providerOnCitizen, 72 * HOUR, 60)).toBe(true);
    expect(feedback).toMatchObject({ complete: true, providerOnCitizen: 0 });
    expect(spans(feedback.citizenOnProvider, at.household, at.municipality)).toBe(true);
    expect(near(feedback.citizenOnProvider, DAY, 60)).toBe(true);
    expect(spans(feedback.shared, at.feedbackEntered, at.household)).toBe(true);
    // And exactly as the events say.
    expect(round).toMatchObject(visitFromEvents(view, 'round', 'present', 'collect'));
    expect(feedback).toMatchObject(
      visitFromEvents(view, 'feedback', 'household-feedback', 'municipality-feedback'),
    );
    expect(view.waiting.citizenOnProvider).toBe(round.citizenOnProvider + feedback.citizenOnProvider);
    expect(view.waiting.providerOnCitizen).toBe(round.providerOnCitizen + feedback.providerOnCitizen);
    expect((await own(a)).json.waiting).toEqual(view.waiting);
    // The citizen's page says it in words: a day on the municipality, three days of it on them.
    const page = (await sys.request('GET', `/c/${a.linkToken}`)).text;
    expect(page).toMatch(
      /U wachtte 1 dag op Gemeente Samen [^;<]+; Gemeente Samen [^<]+ wachtte 3 dagen op u\./,
    );
    expect(page).toContain('Samen tegelijk bezig: 2 dagen en 1 uur.');
    // Case B answered within seconds, the household first.
    const bView = await getCase(sys, b.caseId, staff);
    expect(stageOf(bView, 'round')).toMatchObject(visitFromEvents(bView, 'round', 'present', 'collect'));
    expect((await own(b)).json.waiting).toEqual(bView.waiting);
  });

  it('the service report and its CSV hold both cases, with their reminders and overdue steps', async () => {
    const [aView, bView] = [await getCase(sys, a.caseId, staff), await getCase(sys, b.caseId, staff)];
    const from = new Date(at.entered.before).toISOString().slice(0, 10);
    const to = clock.today();
    const report = await sys.request('GET', `/services/waste-collection/report?from=${from}&to=${to}`, {
      token: staff,
    });
    expect(report.status, report.text).toBe(200);
    const round = (report.json.stages as Loose[]).find((st) => st.stageId === 'round');
    const mean = (key: string) =>
      Math.round((stageOf(aView, 'round')[key] + stageOf(bView, 'round')[key]) / 2);
    expect(round.citizen).toMatchObject({ visits: 2, meanSeconds: mean('citizenOnProvider') });
    expect(round.provider).toMatchObject({ visits: 2, meanSeconds: mean('providerOnCitizen') });
    // A's reminders and escalations, one of each per side; B had none.
    expect(round.citizen).toMatchObject({ reminders: 1, overdue: 1 });
    expect(round.provider).toMatchObject({ reminders: 1, overdue: 1 });
    const feedback = (report.json.stages as Loose[]).find((st) => st.stageId === 'feedback');
    expect(feedback.citizen).toMatchObject({ visits: 2, feedback: { yes: 2, no: 0 } });
    expect(feedback.citizen.meanSeconds).toBe(
      Math.round(
        (stageOf(aView, 'feedback').citizenOnProvider + stageOf(bView, 'feedback').citizenOnProvider) / 2,
      ),
    );

    // The day A's round ended holds A's visit alone: its own figure, within its histogram bucket.
    const aDay = stageOf(aView, 'round').endedAt.slice(0, 10);
    const onlyA = await sys.request('GET', `/services/waste-collection/report?from=${aDay}&to=${aDay}`, {
      token: staff,
    });
    const aRound = (onlyA.json.stages as Loose[]).find((st) => st.stageId === 'round');
    const waited = stageOf(aView, 'round').providerOnCitizen;
    expect(aRound.provider).toMatchObject({ visits: 1, meanSeconds: waited });
    expect(Math.abs(aRound.provider.medianSeconds - waited)).toBeLessThanOrEqual(0.42 * waited);

    const csv = await sys.request(
      'GET',
      `/services/waste-collection/report?from=${from}&to=${to}&format=csv`,
      {
        token: staff,
      },
    );
    expect(csv.status).toBe(200);
    const rows = csvRows(csv.text);
    for (const side of ['citizen', 'provider'] as const) {
      const row = rows.find((r) => r.stage === 'round' && r.side === side);
      const figures = round[side];
      expect(row).toMatchObject({
        visits: '2',
        median_seconds: String(figures.medianSeconds),
        p90_seconds: String(figures.p90Seconds),
        mean_seconds: String(figures.meanSeconds),
        overdue: '1',
        reminders: '1',
      });
    }
  });

  it('reopens inside the 14-day window on the fast-forwarded clock, and answers 409 outside it', async () => {
    // A completed about 6 days after B; 13 days on, A is inside its window and B (19 days) is not.
    await clock.advance(13 * DAY);
    const outside = await sys.request('POST', `/c/${b.linkToken}/reopen`, {
      json: { reason: 'Niet geleegd' },
    });
    expect(outside.status).toBe(409);
    expect(outside.json).toMatchObject({ error: { code: 'REOPEN_WINDOW_CLOSED' } });
    const byStaff = await sys.request('POST', `/cases/${b.caseId}/reopen`, {
      token: staff,
      json: { reason: 'Overgeslagen' },
    });
    expect(byStaff.status).toBe(409);
    const reopening = clock.now();
    const inside = await sys.request('POST', `/c/${a.linkToken}/reopen`, {
      json: { reason: 'Niet geleegd' },
    });
    expect(inside.status, inside.text).toBe(200);
    expect(inside.json).toMatchObject({ caseId: a.caseId, status: 'ACTIVE', stage: 'round' });
    const reopened = await stepOpen(sys, a.caseId, 'present', staff);
    const reopenedAt: Moment = { before: reopening, after: clock.now() };
    expect((reopened.events as Loose[]).filter((e) => e.type === 'CASE_REOPENED')).toEqual([
      expect.objectContaining({
        actor: 'citizen',
        detail: expect.objectContaining({ reason: 'Niet geleegd' }),
      }),
    ]);
    expect((await getCase(sys, b.caseId, staff)).status).toBe('COMPLETED');

    // The round runs again as a new visit: its own proposals (the limits count per visit) and waiting.
    const present = step(reopened, 'present');
    const anew = await proposeAsCitizen(a, 'present', dayAfter(present.dueAt, 1));
    expect(anew.status, anew.text).toBe(201);
    await clock.advance(HOUR);
    const [view, asked] = await timed(clock, () => getCase(sys, a.caseId, staff));
    const visits = (view.waiting.stages as Loose[]).filter((v) => v.stageId === 'round');
    expect(visits).toHaveLength(2);
    expect(visits[1]).toMatchObject({ complete: false, citizenOnProvider: 0, providerOnCitizen: 0 });
    expect(spans(visits[1].shared, reopenedAt, asked), `${visits[1].shared}`).toBe(true);

    // Accepted in the reopened round's own execution: its reminder moves a day too (20 h -> 44 h).
    expect((await answerAsStaff(a, anew.json.proposalId, true)).status).toBe(200);
    const reminders = async () => (await textsTo(sys, a.phone)).filter((m) => isReminder(m.body));
    expect(await reminders()).toHaveLength(1); // visit 1's
    await clock.advance(21 * HOUR); // 22 h after the reopening
    await sleep(1500);
    expect(await reminders()).toHaveLength(1);
    await clock.advance(23 * HOUR); // 45 h
    expect(await textsArrive(sys, a.phone, isReminder, 2)).toHaveLength(2);
  });
});
