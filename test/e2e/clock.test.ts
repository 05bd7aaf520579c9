import { describe, expect, it } from 'vitest';
import { TEXTS } from '../../functions/domain/sms-texts';
import {
  caseStatus,
  citizenWeb,
  createCase,
  getCase,
  ORG,
  openPage,
  provider,
  step,
  stepOpen,
} from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem } from './harness';
import { withLocalSystem } from './setup';

const HOUR = 3600;
let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const smsTo = async (phone: string) => (await sys.outbox()).filter((m) => m.to === phone);
const events = async (caseId: string, type: string) =>
  ((await getCase(sys, caseId, staff)).events as { type: string; stepId?: string }[]).filter(
    (e) => e.type === type,
  );

describe('reminders, escalation and expiry on the fast-forwarded clock', () => {
  it('reminds, escalates and finally expires a waste collection nobody answers', async () => {
    // present: reminder after 20h, due after 2 days, expires after 7; collect (provider) expires after 5.
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    await eventually(async () => (await smsTo(c.phone)).length === 1, 'the invitation SMS');
    expect((await openPage(sys, c.linkToken)).status).toBe(200); // the citizen has the form open

    await sys.advance(21 * HOUR);
    const reminded = await eventually(async () => {
      const m = await smsTo(c.phone);
      return m.length === 2 ? m : undefined;
    }, 'the reminder SMS');
    expect(Date.parse(reminded[1]?.at ?? '') - Date.parse(reminded[0]?.at ?? '')).toBeGreaterThanOrEqual(
      (20 * HOUR - 60) * 1000,
    );
    // The citizen's reminder is due after 20h; the municipality's only after a day.
    expect((await events(c.caseId, 'STEP_REMINDED')).map((e) => e.stepId)).toEqual(['present']);

    await sys.advance(28 * HOUR); // 49h: past due
    await eventually(async () => (await smsTo(c.phone)).length === 3, 'the escalation SMS');
    const escalated = await eventually(async () => {
      const e = await events(c.caseId, 'STEP_ESCALATED');
      return e.some((x) => x.stepId === 'present') ? e : undefined;
    }, 'STEP_ESCALATED');
    expect(escalated.length).toBeGreaterThanOrEqual(1);
    expect(step(await getCase(sys, c.caseId, staff), 'present')).toMatchObject({
      status: 'OPEN',
      escalated: true,
    });

    await sys.advance(4 * 24 * HOUR); // day 6: the municipality's step expired on day 5
    const expired = await caseStatus(sys, c.caseId, staff, 'EXPIRED');
    expect(step(expired, 'present').status).toBe('OPEN');
    const late = await citizenWeb(sys, c.linkToken, 'present', answers('waste-collection', 'present'));
    expect([409, 410]).toContain(late.status);
  });

  it('an answered case does not get reminders', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'));
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    // The step is open before its invitation is sent: count only once that SMS is out.
    await eventually(
      async () => (await events(c.caseId, 'SMS_SENT')).some((e) => e.stepId === 'household-feedback'),
      'the feedback invitation SMS',
    );
    const before = (await smsTo(c.phone)).length;
    await sys.advance(HOUR);
    expect((await events(c.caseId, 'STEP_REMINDED')).filter((e) => e.stepId === 'present')).toHaveLength(0);
    expect((await smsTo(c.phone)).length).toBe(before);
  });

  it('an SMS answer that comes just as the reminder’s wait begins counts, and no reminder follows it', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    await stepOpen(sys, c.caseId, 'collect', staff);
    await eventually(async () => (await smsTo(c.phone)).length === 1, 'the invitation SMS');
    // The reminder's open-step takes its time (as a cold start would). Both invites are done, and no
    // other step of this system has a notice due in the next 21 hours, so the delay is this one's.
    const slow = await sys.request('POST', '/local/faults', {
      json: { function: 'open-step', times: 1, delayMs: 3_000 },
    });
    expect(slow.status, slow.text).toBe(201);
    // Past the reminder after 20h: the invite's wait times out. The fast-forward answers once the engine
    // is idle again, so after the reminder's open-step: the answer goes in while it runs.
    const advanced = sys.advance(21 * HOUR);
    await eventually(
      async () => ((await sys.request('GET', '/local/faults')).json.faults as unknown[]).length === 0,
      'the reminder on its way',
    );
    // The invite's token is refused now, and the reminder's not recorded yet: the answer still counts.
    const answered = await sys.sms(c.phone, 'ja');
    expect(answered.status).toBe(200);
    expect(answered.text).not.toContain(TEXTS.nl.retry.slice(0, 20));
    expect(step(await getCase(sys, c.caseId, staff), 'present').status).toBe('DONE');
    await advanced;
    // The reminder's wait takes the answer over: the case goes on, without a reminder.
    await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'));
    await stepOpen(sys, c.caseId, 'household-feedback', staff);
    expect((await events(c.caseId, 'STEP_SUBMITTED')).filter((e) => e.stepId === 'present')).toHaveLength(1);
    expect((await events(c.caseId, 'STEP_REMINDED')).filter((e) => e.stepId === 'present')).toHaveLength(0);
  });
});
