import { describe, expect, it } from 'vitest';
import { createCase, getCase, ORG, step, stepOpen } from './cases';
import { eventually, type LocalSystem, type Loose } from './harness';
import { withLocalSystem } from './setup';

// Issue 9: with the default SMS provider (AWS End User Messaging), a citizen's reply reaches the
// case through the two-way SMS path: the number publishes to the inbound SNS topic, the topic's
// Lambda subscription answers through the same domain code, and the reply goes out as an SMS.

let sys: LocalSystem;
let staff: string;

withLocalSystem((started) => {
  sys = started;
  staff = started.token(ORG);
});

const texted = (from: string, body: string) => sys.request('POST', '/local/sms', { json: { from, body } });

describe('SMS through the inbound topic (smsProvider=aws)', () => {
  it('answers a step by SMS, replies by SMS, and counts a redelivered message once', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const invite = await eventually(async () => {
      const sent = (await sys.outbox()).filter((m) => m.to === c.phone);
      return sent.length > 0 ? (sent as Loose[]) : undefined;
    }, 'the invitation');
    expect(invite[0].provider).toBe('aws');

    const res = await texted(c.phone, 'JA bak staat klaar');
    expect(res.status, res.text).toBe(200);
    expect(res.json.provider).toBe('aws');
    expect(res.json.replies).toHaveLength(1);
    expect(res.json.replies[0]).toMatch(/dank u, uw antwoord is binnen/);

    const view = await getCase(sys, c.caseId, staff);
    expect(step(view, 'present')).toMatchObject({
      status: 'DONE',
      channel: 'sms',
      data: { presented: true, note: 'bak staat klaar' },
    });
    // The reply went out as an SMS too, from the service number the citizen texted.
    const replies = (await sys.outbox()).filter((m) => m.to === c.phone) as Loose[];
    expect(replies.length).toBe(invite.length + 1);

    // STOP through the same path: the reply confirms, the case goes on.
    const stop = await texted(c.phone, 'STOP');
    expect(stop.status).toBe(200);
    expect(stop.json.replies[0]).toMatch(/geen sms meer|no more texts/i);
    expect((await getCase(sys, c.caseId, staff)).status).toBe('ACTIVE');
  });

  it('keeps the signed v1 webhook working as a simulated carrier', async () => {
    const c = await createCase(sys, 'waste-collection', staff);
    await stepOpen(sys, c.caseId, 'present', staff);
    const reply = await sys.sms(c.phone, 'ja');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('xml');
    expect(reply.text).toContain('<Message>');
    expect(step(await getCase(sys, c.caseId, staff), 'present').status).toBe('DONE');
  });
});
