import { describe, expect, it } from 'vitest';
import { caseStatus, citizenWeb, createCase, getCase, ORG, ok, provider, step, stepOpen } from './cases';
import { answers } from './forms';
import { eventually, type LocalSystem } from './harness';
import { withLocalSystem } from './setup';

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

describe('waste collection, end to end over HTTP', () => {
  it('runs a whole case: the citizen answers by SMS, the municipality through the API', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    // The invitation goes out right after the step opens.
    const invite = await eventually(async () => {
      const m = (await sys.outbox()).filter((x) => x.to === c.phone);
      return m.length > 0 ? m : undefined;
    }, 'the invitation SMS');
    expect(invite).toHaveLength(1);
    expect(invite[0]?.body).toContain(`/c/${c.linkToken}`);

    const reply = await sys.sms(c.phone, 'JA container stond klaar');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('xml');
    const collect = await provider(sys, c.caseId, 'collect', staff, answers('waste-collection', 'collect'));
    expect(collect.status).toBe(200);

    const feedback = await stepOpen(sys, c.caseId, 'household-feedback', staff);
    expect(step(feedback, 'present')).toMatchObject({
      status: 'DONE',
      channel: 'sms',
      data: { presented: true, note: 'container stond klaar' },
    });
    expect(step(feedback, 'collect')).toMatchObject({ status: 'DONE', channel: 'api' });
    expect((await sys.sms(c.phone, 'ja')).status).toBe(200);
    await stepOpen(sys, c.caseId, 'municipality-feedback', staff);
    const last = await provider(
      sys,
      c.caseId,
      'municipality-feedback',
      staff,
      answers('waste-collection', 'municipality-feedback'),
    );
    expect(last.status).toBe(200);

    const done = await caseStatus(sys, c.caseId, staff, 'COMPLETED');
    expect((done.steps as { status: string }[]).every((s) => s.status === 'DONE')).toBe(true);
    // The citizen sees the same case through the link, including the municipality's part.
    const page = await sys.request('GET', `/c/${c.linkToken}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('accepts exactly one of two simultaneous submissions of a step from two channels', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const [web, sms] = await Promise.all([
      citizenWeb(
        sys,
        c.linkToken,
        'present',
        answers('waste-collection', 'present', { presented: 'ja', note: 'via web' }),
      ),
      sys.sms(c.phone, 'NEE via sms'),
    ]);
    expect(sms.status).toBe(200); // the SMS webhook always answers Twilio with TwiML
    const view = await getCase(sys, c.caseId, staff);
    const present = step(view, 'present');
    expect(present.status).toBe('DONE');
    const submitted = (view.events as { type: string; stepId?: string }[]).filter(
      (e) => e.type === 'STEP_SUBMITTED' && e.stepId === 'present',
    );
    expect(submitted).toHaveLength(1);
    if (present.channel === 'web') {
      expect(ok(web.status)).toBe(true);
      expect(present.data).toMatchObject({ presented: true, note: 'via web' });
    } else {
      expect(web.status, web.text.slice(-600)).toBe(409);
      expect(present.data).toMatchObject({ presented: false, note: 'via sms' });
    }
    // A third try on a closed step is a clear 409 whatever the channel.
    const again = await citizenWeb(sys, c.linkToken, 'present', answers('waste-collection', 'present'));
    expect(again.status).toBe(409);
  });

  it('refuses a provider of another organisation', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'collect', staff);
    const other = sys.token('gemeente-elders');
    const read = await sys.request('GET', `/cases/${c.caseId}`, { token: other });
    expect([403, 404]).toContain(read.status);
    expect(read.text).not.toContain('E2E Burger');
    const write = await provider(sys, c.caseId, 'collect', other, answers('waste-collection', 'collect'));
    expect([403, 404]).toContain(write.status);
    expect(step(await getCase(sys, c.caseId, staff), 'collect').status).toBe('OPEN');
    expect((await sys.request('GET', `/cases/${c.caseId}`)).status).toBe(401);
  });
});
