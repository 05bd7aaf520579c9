import { describe, expect, it } from 'vitest';
import { createCase, getCase, ORG, openPage, step, stepOpen } from './cases';
import { eventually, type LocalSystem, type Loose } from './harness';
import { withLocalSystem } from './setup';

// Negotiated due dates, end to end over HTTP against the local runtime: a proposal accepted moves the
// step's due date, and the reminder then arrives at the new date (the outbox), not the old one; a
// declined one leaves the timing; the limits, the wrong side and answering twice are refused clearly.
// The waste collection's `present` step: reminder after 20 hours, due after 2 days, expiry after 7.

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The day (YYYY-MM-DD, Amsterdam) `days` after a moment. */
function dayAfter(iso: string, days: number): string {
  const at = new Date(Date.parse(iso) + days * DAY * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(at);
}

const textsTo = async (phone: string) => (await sys.outbox()).filter((m) => m.to === phone);
const reminders = async (phone: string) =>
  (await textsTo(phone)).filter((m) => m.body.startsWith('Herinnering'));
const types = (view: Loose) => (view.events as Loose[]).map((e) => e.type as string);

describe('negotiated due dates, end to end', () => {
  it('an accepted proposal moves the due date, and the reminder comes at the new date, not the old', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    await eventually(async () => (await textsTo(c.phone)).length === 1, 'the invitation');

    const dueAt = dayAfter(opened.dueAt, 3);
    const made = await sys.request('POST', `/c/${c.linkToken}/steps/present/proposals`, {
      json: { dueAt, reason: 'Ik ben op vakantie' },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ status: 'OPEN' });
    const proposalId = String(made.json.proposalId);

    // The citizen cannot answer their own proposal; staff can, once.
    const own = await sys.request('POST', `/c/${c.linkToken}/proposals/${proposalId}`, {
      json: { accept: true },
    });
    expect(own.status).toBe(403);
    const accepted = await sys.request('POST', `/cases/${c.caseId}/proposals/${proposalId}`, {
      token: staff,
      json: { accept: true, note: 'Prima' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'ACCEPTED', stepId: 'present' });
    const again = await sys.request('POST', `/cases/${c.caseId}/proposals/${proposalId}`, {
      token: staff,
      json: { accept: false },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'PROPOSAL_ANSWERED' } });

    const view = await getCase(sys, c.caseId, staff);
    const moved = step(view, 'present');
    expect(Date.parse(moved.dueAt) - Date.parse(opened.dueAt)).toBe(3 * DAY * 1000);
    expect(Date.parse(moved.expiresAt) - Date.parse(opened.expiresAt)).toBe(3 * DAY * 1000);
    expect(view.proposals).toEqual([
      expect.objectContaining({
        proposalId,
        stepId: 'present',
        by: 'citizen',
        dueAt,
        status: 'ACCEPTED',
        reason: 'Ik ben op vakantie',
        note: 'Prima',
      }),
    ]);
    expect(types(view)).toEqual(
      expect.arrayContaining(['PROPOSAL_MADE', 'PROPOSAL_ACCEPTED', 'STEP_RETIMED']),
    );
    // The citizen sees the same, reason and answer included.
    const mine = await sys.request('GET', `/c/${c.linkToken}`, { headers: { accept: 'application/json' } });
    expect(mine.json.proposals).toEqual([
      expect.objectContaining({ proposalId, status: 'ACCEPTED', note: 'Prima' }),
    ]);

    // Past the old reminder time (20 hours): no reminder.
    await sys.advance(21 * HOUR);
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(await reminders(c.phone)).toHaveLength(0);
    // Just before the new one (20 hours + 3 days): still none. Just after: the reminder, once.
    await sys.advance(2 * DAY + 22 * HOUR);
    await new Promise((ok) => setTimeout(ok, 1500));
    expect(await reminders(c.phone)).toHaveLength(0);
    await sys.advance(2 * HOUR);
    const sent = await eventually(async () => {
      const found = await reminders(c.phone);
      return found.length > 0 ? found : undefined;
    }, 'the re-timed reminder');
    expect(sent).toHaveLength(1);
    const after = await getCase(sys, c.caseId, staff);
    expect(step(after, 'present')).toMatchObject({ status: 'OPEN', reminders: 1 });
  });

  it('a declined proposal leaves the timing; limits, one open proposal and bad days are refused', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    const propose = (by: 'staff' | 'citizen', dueAt: string, stepId = 'present') =>
      by === 'staff'
        ? sys.request('POST', `/cases/${c.caseId}/steps/${stepId}/proposals`, {
            token: staff,
            json: { dueAt, reason: 'Andere ophaaldag' },
          })
        : sys.request('POST', `/c/${c.linkToken}/steps/${stepId}/proposals`, {
            json: { dueAt, reason: 'Liever later' },
          });
    const first = await propose('staff', dayAfter(opened.dueAt, 1));
    expect(first.status).toBe(201);
    // One open proposal per step, whoever asks.
    const second = await propose('citizen', dayAfter(opened.dueAt, 2));
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: { code: 'PROPOSAL_ALREADY_OPEN' } });
    // Staff cannot answer their own; the citizen declines.
    const id = String(first.json.proposalId);
    expect(
      (
        await sys.request('POST', `/cases/${c.caseId}/proposals/${id}`, {
          token: staff,
          json: { accept: true },
        })
      ).status,
    ).toBe(403);
    const declined = await sys.request('POST', `/c/${c.linkToken}/proposals/${id}`, {
      json: { accept: false },
    });
    expect(declined.status).toBe(200);
    expect(step(await getCase(sys, c.caseId, staff), 'present').dueAt).toBe(opened.dueAt);

    // Bad days: not a date, today, more than the step allows (a week).
    expect((await propose('citizen', '2026-02-30')).status).toBe(400);
    expect((await propose('citizen', dayAfter(new Date().toISOString(), 0))).status).toBe(400);
    const far = await propose('citizen', dayAfter(opened.dueAt, 9));
    expect(far.status).toBe(400);
    // A step that does not take proposals, and one that is not open yet.
    expect((await propose('citizen', dayAfter(opened.dueAt, 1), 'household-feedback')).json).toMatchObject({
      error: { code: 'PROPOSALS_NOT_OFFERED' },
    });

    // Two per side: staff's second is fine, the third is refused.
    const staffSecond = await propose('staff', dayAfter(opened.dueAt, 2));
    expect(staffSecond.status).toBe(201);
    await sys.request('POST', `/c/${c.linkToken}/proposals/${staffSecond.json.proposalId}`, {
      json: { accept: false },
    });
    const third = await propose('staff', dayAfter(opened.dueAt, 3));
    expect(third.status).toBe(409);
    expect(third.json).toMatchObject({ error: { code: 'PROPOSAL_LIMIT_REACHED' } });
    const view = await getCase(sys, c.caseId, staff);
    expect((view.proposals as Loose[]).map((p) => p.status)).toEqual(['DECLINED', 'DECLINED']);
    expect(step(view, 'present').dueAt).toBe(opened.dueAt);
  });

  it('the organisation proposes, the citizen is texted and answers by SMS with the step’s code', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    await eventually(async () => (await textsTo(c.phone)).length === 1, 'the invitation');
    const dueAt = dayAfter(opened.dueAt, 2);
    const made = await sys.request('POST', `/cases/${c.caseId}/steps/present/proposals`, {
      token: staff,
      json: { dueAt, reason: 'Feestdag' },
    });
    expect(made.status).toBe(201);
    const texted = await eventually(async () => {
      const all = await textsTo(c.phone);
      return all.length === 2 ? all[1] : undefined;
    }, 'the proposal SMS');
    const code = /Stuur (\w\d) JA of \1 NEE/.exec(texted.body)?.[1];
    expect(code, texted.body).toBeDefined();
    expect(texted.body).toContain(dueAt.split('-').reverse().join('-'));

    const reply = await sys.sms(c.phone, `${code} ja, prima`);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('nieuwe datum');
    const view = await getCase(sys, c.caseId, staff);
    expect(view.proposals).toEqual([
      expect.objectContaining({ by: 'provider', status: 'ACCEPTED', reason: 'Feestdag', note: 'prima' }),
    ]);
    // The step itself is still open: the yes answered the proposal, not the step.
    expect(step(view, 'present').status).toBe('OPEN');
    expect(Date.parse(step(view, 'present').dueAt) - Date.parse(opened.dueAt)).toBe(2 * DAY * 1000);
    const answered = (view.events as Loose[]).find((e) => e.type === 'PROPOSAL_ACCEPTED');
    expect(answered).toMatchObject({ actor: 'citizen', channel: 'sms' });
  });

  it('on the citizen page: a plain form asks for another day, and the organisation’s proposal is answered there', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    const opened = step(await stepOpen(sys, c.caseId, 'present', staff), 'present');
    const page = await openPage(sys, c.linkToken);
    expect(page.text).toContain(`action="/c/${c.linkToken}/steps/present/proposals?lang=nl"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const dueAt = dayAfter(opened.dueAt, 1);
    const asked = await sys.request('POST', `/c/${c.linkToken}/steps/present/proposals?lang=nl`, {
      form: { _csrf: csrf, dueAt, reason: 'Dan ben ik thuis' },
    });
    expect(asked.status).toBe(303);
    const id = String((await getCase(sys, c.caseId, staff)).proposals[0].proposalId);
    await sys.request('POST', `/cases/${c.caseId}/proposals/${id}`, {
      token: staff,
      json: { accept: false, note: 'Helaas' },
    });
    // The organisation proposes in turn; the page shows the history and a form to answer.
    const other = await sys.request('POST', `/cases/${c.caseId}/steps/collect/proposals`, {
      token: staff,
      json: { dueAt: dayAfter(opened.dueAt, 2), reason: 'Route verlegd' },
    });
    expect(other.status).toBe(201);
    const shown = await openPage(sys, c.linkToken);
    expect(shown.text).toContain('U vroeg om');
    expect(shown.text).toContain('ging niet akkoord');
    expect(shown.text).toContain(`action="/c/${c.linkToken}/proposals/${other.json.proposalId}?lang=nl"`);
    const answered = await sys.request(
      'POST',
      `/c/${c.linkToken}/proposals/${other.json.proposalId}?lang=nl`,
      {
        form: { _csrf: csrf, accept: 'true', note: '' },
      },
    );
    expect(answered.status).toBe(303);
    const view = await getCase(sys, c.caseId, staff);
    expect((view.proposals as Loose[]).map((p) => p.status)).toEqual(['DECLINED', 'ACCEPTED']);
    expect(Date.parse(step(view, 'collect').dueAt) - Date.parse(opened.dueAt)).toBeGreaterThan(0);
    // Without the page's CSRF value, a form changes nothing.
    const forged = await sys.request('POST', `/c/${c.linkToken}/steps/present/proposals`, {
      form: { dueAt, reason: 'x' },
    });
    expect(forged.status).toBe(403);
  });
});
