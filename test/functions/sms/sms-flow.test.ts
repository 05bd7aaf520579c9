import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { type OpenStepPayload, openStep } from '../../../functions/domain/open-step';
import { sha256 } from '../../../functions/domain/pii';
import { TEXTS } from '../../../functions/domain/sms-texts';
import { REPLAYED, receiveSms } from '../../../functions/sms/inbound';
import { findService } from '../../../workflows/catalog';
import { useLocalTable } from '../../support/dynalite';
import {
  answersOf,
  fixedClock,
  MemoryEngine,
  MemoryNotifier,
  makeCase,
  publicUrl,
  vault,
} from '../domain/sms-fakes';

// Invitation, SMS answer, retry and opt-out against a real DynamoDB API (dynalite): the phone
// index, the exactly-once completion and the message claims are the repository's real ones.

let repo: DynamoCaseRepository;
let engine: MemoryEngine;
let notifier: MemoryNotifier;
let phone: string;
let n = 0;

const clock = fixedClock('2026-03-02T09:00:00.000Z');
const openDeps = () => ({ repo, engine, retimer: engine, notifier, vault, publicUrl, findService });
const smsDeps = () => ({ repo, engine, clock, vault, publicUrl, findService });
const sms = (body: string, messageSid = `SM-${++n}-${Math.random()}`) =>
  receiveSms(smsDeps(), { from: phone, body, messageSid });

async function caseWithOpenStep(caseId: string): Promise<string> {
  const record = makeCase(caseId, { phone });
  await repo.createCase(record, sha256(vault.linkToken(caseId)));
  const payload: OpenStepPayload = {
    caseId,
    serviceId: 'waste-collection',
    stageId: 'round',
    stepId: 'present',
    notice: 'invite',
    visit: 1,
    taskToken: `tok-${caseId}`,
    enteredAt: '2026-03-02T06:00:00.000Z',
  };
  expect(await openStep(openDeps(), payload)).toEqual({ result: 'opened', sms: 'sent' });
  return (await repo.getStep(caseId, 'present'))?.shortCode ?? '';
}

useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});
beforeEach(() => {
  engine = new MemoryEngine();
  notifier = new MemoryNotifier();
  phone = `+316${String(10_000_000 + Math.floor(Math.random() * 89_999_999))}`;
});

describe('SMS round trip on DynamoDB', () => {
  it('two invitations get different codes; the answer naming one completes exactly that step once', async () => {
    const id = `${n}`;
    const a = await caseWithOpenStep(`case-a-${id}`);
    const b = await caseWithOpenStep(`case-b-${id}`);
    expect(a).toMatch(/^[A-Z]\d$/);
    expect(b).not.toBe(a);
    expect(notifier.sent.map((s) => s.to)).toEqual([phone, phone]);
    expect(notifier.sent[1]?.text).toContain(b);

    expect(await sms('ja')).toContain('Welke stap bedoelt u?');
    const sid = `SM-answer-${id}`;
    const reply = await sms(`${b} ja, container stond buiten`, sid);
    expect(reply).toContain(`${publicUrl}/c/${vault.linkToken(`case-b-${id}`)}`);
    expect(await sms(`${b} ja, container stond buiten`, sid)).toBe(REPLAYED);
    expect(engine.completed).toHaveLength(1);
    expect(engine.completed[0]).toMatchObject({
      taskToken: `tok-case-b-${id}`,
      output: { channel: 'sms', data: {} },
    });
    expect(await answersOf(repo, `case-b-${id}`, 'present')).toEqual({
      presented: true,
      note: 'container stond buiten',
    });
    const open = await repo.openStepsForPhone(vault.hash(phone));
    expect(open.map((s) => s.shortCode)).toEqual([a]);
    // One open step left: no code needed any more.
    expect(await sms('nee')).toContain(`${publicUrl}/c/${vault.linkToken(`case-a-${id}`)}`);
    expect(await repo.openStepsForPhone(vault.hash(phone))).toEqual([]);
  });

  it('STOP silences reminders without touching the case; START brings them back', async () => {
    const caseId = `case-stop-${n}`;
    await caseWithOpenStep(caseId);
    expect(await sms('AFMELDEN')).toBe(TEXTS.nl.optedOut);
    const reminder = (taskToken: string, enteredAt: string) =>
      openStep(openDeps(), {
        caseId,
        serviceId: 'waste-collection',
        stageId: 'round',
        stepId: 'present',
        notice: 'reminder',
        visit: 1,
        taskToken,
        enteredAt,
      });
    expect(await reminder('tok-r1', '2026-03-03T02:00:00.000Z')).toEqual({
      result: 'rearmed',
      sms: 'opted-out',
    });
    expect(notifier.sent).toHaveLength(1);
    expect((await repo.getCase(caseId))?.status).toBe('ACTIVE');
    expect(await sms('start')).toBe(TEXTS.nl.optedIn);
    expect(await reminder('tok-r2', '2026-03-03T03:00:00.000Z')).toEqual({ result: 'rearmed', sms: 'sent' });
    expect(notifier.sent).toHaveLength(2);
    const events = (await repo.getCaseView(caseId))?.events.map((e) => e.type);
    expect(events).toEqual([
      'CASE_CREATED',
      'STEP_OPENED',
      'SMS_SENT',
      'STEP_REMINDED',
      'SMS_SUPPRESSED',
      'STEP_REMINDED',
      'SMS_SENT',
    ]);
  });
});
