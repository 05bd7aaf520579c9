import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { caseCipher } from '../../../functions/domain/case-keys';
import { renderMessage } from '../../../functions/domain/messages';
import { allocateShortCode, type OpenStepPayload, openStep } from '../../../functions/domain/open-step';
import type { CaseRepository } from '../../../functions/domain/ports';
import { findService } from '../../../workflows/catalog';
import {
  catalogService,
  MemoryEngine,
  MemoryNotifier,
  MemoryRepo,
  makeCase,
  publicUrl,
  stepTitle,
  vault,
} from './sms-fakes';

const phone = '+31612345678';
const enteredAt = '2026-03-02T06:00:00.000Z';
const link = `${publicUrl}/c/${vault.linkToken('case-1')}`;
const CODE = /^[A-HJ-NP-Z]\d$/;
const service = catalogService();
/** The service's own wording changes with its definition; what open-step decides is the values. */
const expectedText = (kind: 'invitation' | 'reminder' | 'escalation', locale: 'nl' | 'en', code: string) =>
  renderMessage(service, kind, locale, {
    org: 'Gemeente Utrecht', // the display name made from the case's org id
    step: stepTitle(service, 'present', locale),
    due: '04-03-2026',
    link,
    code,
  });

let repo: MemoryRepo;
let engine: MemoryEngine;
let notifier: MemoryNotifier;
const deps = () => ({ repo, engine, retimer: engine, notifier, vault, publicUrl, findService });

function payload(over: Partial<OpenStepPayload> = {}): OpenStepPayload {
  return {
    caseId: 'case-1',
    serviceId: 'waste-collection',
    stageId: 'round',
    stepId: 'present',
    notice: 'invite',
    visit: 1,
    taskToken: 'token-1',
    enteredAt,
    ...over,
  };
}

beforeEach(() => {
  repo = new MemoryRepo();
  engine = new MemoryEngine();
  notifier = new MemoryNotifier();
  repo.cases.set('case-1', makeCase('case-1', { phone }));
});

describe('openStep: invite', () => {
  it('opens a citizen step from the engine time, indexes it by phone and sends the invitation', async () => {
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'sent' });
    const step = await repo.getStep('case-1', 'present');
    expect(step).toMatchObject({
      status: 'OPEN',
      visit: 1,
      taskToken: 'token-1',
      openedAt: enteredAt,
      dueAt: '2026-03-04T06:00:00.000Z',
      expiresAt: '2026-03-09T06:00:00.000Z',
    });
    expect(step?.shortCode).toMatch(CODE);
    expect(await repo.openStepsForPhone(vault.hash(phone))).toHaveLength(1);
    expect(notifier.sent).toEqual([
      { to: phone, text: expectedText('invitation', 'nl', step?.shortCode ?? '') },
    ]);
    expect(notifier.sent[0]?.text).toContain(link);
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_OPENED', 'SMS_SENT']);
    expect(JSON.stringify(repo.events)).not.toContain('612345678');
  });

  it('writes the reminder text in English for an English-speaking citizen', async () => {
    const record = makeCase('case-1', { phone });
    repo.cases.set('case-1', { ...record, citizen: { ...record.citizen, locale: 'en' } });
    await openStep(deps(), payload());
    await openStep(
      deps(),
      payload({ notice: 'reminder', taskToken: 'token-2', enteredAt: '2026-03-03T02:00:00.000Z' }),
    );
    const code = (await repo.getStep('case-1', 'present'))?.shortCode;
    expect(notifier.sent[1]?.text).toBe(expectedText('reminder', 'en', code ?? ''));
  });

  it('gives a code no other open step of the phone has', async () => {
    const seed = 'case-1#present#1';
    const preferred = allocateShortCode(new Set(), seed);
    repo.cases.set('case-0', makeCase('case-0', { phone }));
    await repo.openStep(
      {
        ...payload({ caseId: 'case-0' }),
        actor: 'citizen',
        openedAt: enteredAt,
        dueAt: enteredAt,
        expiresAt: enteredAt,
        phoneHash: vault.hash(phone),
        shortCode: preferred,
      },
      'invite',
    );
    await openStep(deps(), payload());
    const code = (await repo.getStep('case-1', 'present'))?.shortCode;
    expect(code).toMatch(CODE);
    expect(code).not.toBe(preferred);
  });

  it('keeps the code when the same invite is delivered twice', async () => {
    await openStep(deps(), payload());
    const first = (await repo.getStep('case-1', 'present'))?.shortCode;
    await openStep(deps(), payload());
    expect((await repo.getStep('case-1', 'present'))?.shortCode).toBe(first);
  });

  it('looks up whether the segment already texted only when the step was open in this visit before', async () => {
    const lookups = vi.spyOn(repo, 'hasEvent');
    await openStep(deps(), payload());
    expect(lookups).not.toHaveBeenCalled();
    await openStep(deps(), payload());
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(notifier.sent).toHaveLength(1);
  });

  it('texts once and logs once when the same segment is invoked again (a retried invocation)', async () => {
    await openStep(deps(), payload());
    // Step Functions retries a timed-out or throttled invocation within the same state entry.
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'repeated' });
    expect(notifier.sent).toHaveLength(1);
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_OPENED', 'SMS_SENT']);
    // A later segment of the same step (the reminder) is a text of its own.
    await openStep(
      deps(),
      payload({ notice: 'reminder', taskToken: 'token-2', enteredAt: '2026-03-03T06:00:00.000Z' }),
    );
    expect(notifier.sent).toHaveLength(2);
  });

  it('texts again when the invocation before stopped before its SMS was recorded', async () => {
    notifier.failWith = Object.assign(new Error('lost'), { name: 'Sandbox.Timedout' });
    const failing = { ...deps(), repo: Object.assign(Object.create(repo), { appendEventGroup: vi.fn() }) };
    await openStep(failing, payload());
    notifier.failWith = undefined;
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'sent' });
    expect(notifier.sent).toHaveLength(1);
  });

  it('sends nothing to an opted-out phone and says why in the log', async () => {
    await repo.setOptOut(vault.hash(phone), true);
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'opted-out' });
    expect(notifier.sent).toEqual([]);
    expect(repo.events.at(-1)).toMatchObject({
      type: 'SMS_SUPPRESSED',
      detail: { message: 'invitation', reason: 'opted-out' },
    });
  });

  it('opens without the phone index or an SMS when the case has no phone', async () => {
    repo.cases.set('case-1', makeCase('case-1'));
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'no-phone' });
    expect((await repo.getStep('case-1', 'present'))?.shortCode).toBeUndefined();
    expect(repo.events.at(-1)).toMatchObject({ type: 'SMS_SUPPRESSED', detail: { reason: 'no-phone' } });
  });

  it('only records an event for a provider step', async () => {
    expect(await openStep(deps(), payload({ stepId: 'collect' }))).toEqual({ result: 'opened' });
    expect(notifier.sent).toEqual([]);
    expect((await repo.getStep('case-1', 'collect'))?.shortCode).toBeUndefined();
    expect(await repo.openStepsForPhone(vault.hash(phone))).toEqual([]);
    expect(repo.events).toMatchObject([
      { type: 'STEP_OPENED', stepId: 'collect', detail: { actor: 'provider' } },
    ]);
  });

  it('keeps the step open when the SMS cannot be sent', async () => {
    notifier.failWith = Object.assign(new Error('throttled for +31612345678'), {
      name: 'ThrottlingException',
    });
    expect(await openStep(deps(), payload())).toEqual({ result: 'opened', sms: 'failed' });
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
    expect(repo.events.at(-1)).toMatchObject({
      type: 'SMS_FAILED',
      detail: { reason: 'failed', error: 'ThrottlingException' },
    });
    expect(JSON.stringify(repo.events)).not.toContain('612345678');
  });
});

describe('openStep: the stage event', () => {
  const stageEnteredAt = '2026-03-02T05:59:59.000Z';
  // The ids the port was given, read off the calls in their order (a group's types joined by '+').
  const ids = () => {
    const single = (repo.appendEvent as unknown as Mock<CaseRepository['appendEvent']>).mock;
    const group = (repo.appendEventGroup as unknown as Mock<CaseRepository['appendEventGroup']>).mock;
    return [
      ...single.calls.map(([event, id], i) => ({ order: single.invocationCallOrder[i], types: [event], id })),
      ...group.calls.map(([events, id], i) => ({ order: group.invocationCallOrder[i], types: events, id })),
    ]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map(({ types, id }) => ({ type: types.map((event) => event.type).join('+'), id }));
  };
  beforeEach(() => {
    vi.spyOn(repo, 'appendEvent');
    vi.spyOn(repo, 'appendEventGroup');
  });

  it('logs STAGE_ENTERED on an invite, at the stage entry time, before the step event', async () => {
    await openStep(deps(), payload({ stageEnteredAt }));
    expect(repo.events[0]).toEqual({
      caseId: 'case-1',
      at: stageEnteredAt,
      type: 'STAGE_ENTERED',
      actor: 'system',
      detail: { stageId: 'round', visit: 1 },
    });
    expect(repo.events.map((e) => e.type)).toEqual(['STAGE_ENTERED', 'STEP_OPENED', 'SMS_SENT']);
  });

  it('writes it under one id per stage and visit: every branch and every retry write the same event', async () => {
    await openStep(deps(), payload({ stageEnteredAt }));
    await openStep(deps(), payload({ stageEnteredAt, stepId: 'collect', taskToken: 'token-c' }));
    await openStep(deps(), payload({ stageEnteredAt })); // the same invite again (a Lambda retry)
    const stage = repo.events.filter((e) => e.type === 'STAGE_ENTERED');
    expect(new Set(stage.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(ids().filter((c) => c.type === 'STAGE_ENTERED')).toEqual([
      { type: 'STAGE_ENTERED', id: 'stage-round-1' },
      { type: 'STAGE_ENTERED', id: 'stage-round-1' },
      { type: 'STAGE_ENTERED', id: 'stage-round-1' },
    ]);
    // The step's own events are keyed by their wait segment, the citizen's with its SMS in one write:
    // the retry finds that written and writes nothing more.
    expect(ids().filter((c) => c.type !== 'STAGE_ENTERED')).toEqual([
      { type: 'STEP_OPENED+SMS_SENT', id: 'invite-present-1' },
      { type: 'STEP_OPENED', id: 'invite-collect-1' },
    ]);
    await openStep(deps(), payload({ stageEnteredAt, visit: 3, taskToken: 'token-3' }));
    expect(ids().at(-2)).toEqual({ type: 'STAGE_ENTERED', id: 'stage-round-3' });
  });

  it('is not logged by a reminder, by a closed case, or for a machine that logs it itself', async () => {
    await openStep(deps(), payload()); // an execution of a machine from before: no stageEnteredAt
    await openStep(deps(), payload({ stageEnteredAt, notice: 'reminder', taskToken: 'token-2' }));
    repo.cases.set('case-1', makeCase('case-1', { phone, status: 'CANCELLED' }));
    await openStep(deps(), payload({ stageEnteredAt, visit: 2, taskToken: 'token-5' }));
    expect(repo.events.map((e) => e.type)).not.toContain('STAGE_ENTERED');
  });
});

describe('openStep: later segments', () => {
  beforeEach(async () => {
    await openStep(deps(), payload());
    notifier.sent = [];
    repo.events = [];
  });

  it('re-arms with the new token and sends the reminder', async () => {
    const result = await openStep(deps(), payload({ notice: 'reminder', taskToken: 'token-2' }));
    expect(result).toEqual({ result: 'rearmed', sms: 'sent' });
    expect(await repo.getStep('case-1', 'present')).toMatchObject({ taskToken: 'token-2', reminders: 1 });
    const code = (await repo.getStep('case-1', 'present'))?.shortCode ?? '';
    expect(notifier.sent[0]?.text).toBe(expectedText('reminder', 'nl', code));
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_REMINDED', 'SMS_SENT']);
  });

  it('sends the escalation to the citizen', async () => {
    await openStep(deps(), payload({ notice: 'escalation', taskToken: 'token-3' }));
    const code = (await repo.getStep('case-1', 'present'))?.shortCode ?? '';
    expect(notifier.sent[0]?.text).toBe(expectedText('escalation', 'nl', code));
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_ESCALATED', 'SMS_SENT']);
  });

  it('only logs a reminder of a provider step', async () => {
    await openStep(deps(), payload({ stepId: 'collect' }));
    repo.events = [];
    await openStep(deps(), payload({ stepId: 'collect', notice: 'reminder', taskToken: 'token-4' }));
    expect(notifier.sent).toEqual([]);
    expect(repo.events.map((e) => e.type)).toEqual(['STEP_REMINDED']);
  });

  it('hands an answer that raced the timeout to the new token, without the answers themselves', async () => {
    await openStep(deps(), payload());
    notifier.sent = [];
    const cipher = caseCipher(
      vault,
      repo.cases.get('case-1') as NonNullable<ReturnType<typeof repo.cases.get>>,
    );
    const stored = {
      stepId: 'present',
      actor: 'citizen' as const,
      channel: 'sms' as const,
      submittedAt: '2026-03-02T09:00:00.000Z',
      dataEnc: cipher.sealJson({ presented: true, note: 'prima' }),
    };
    expect(await repo.completeStep('case-1', stored)).toMatchObject({ status: 'DONE' });
    expect(await openStep(deps(), payload({ notice: 'reminder', taskToken: 'token-2' }))).toEqual({
      result: 'already-done',
    });
    // No outcome rule reads `present`: the engine hears that it was answered, not what.
    const { dataEnc: _sealed, ...rest } = stored;
    expect(engine.completed).toEqual([{ taskToken: 'token-2', output: { ...rest, data: {} } }]);
    expect(notifier.sent).toEqual([]);
  });

  it('hands over only the routing value of an answer whose backTo rule reads it', async () => {
    const feedback = payload({ stageId: 'feedback', stepId: 'household-feedback' });
    await openStep(deps(), feedback);
    const cipher = caseCipher(
      vault,
      repo.cases.get('case-1') as NonNullable<ReturnType<typeof repo.cases.get>>,
    );
    const stored = {
      stepId: 'household-feedback',
      actor: 'citizen' as const,
      channel: 'web' as const,
      submittedAt: '2026-03-02T09:00:00.000Z',
      dataEnc: cipher.sealJson({ satisfied: false, note: 'de bak bleef staan' }),
    };
    await repo.completeStep('case-1', stored);
    await openStep(deps(), { ...feedback, notice: 'reminder', taskToken: 'token-2' });
    expect(engine.completed.map((c) => c.output.data)).toEqual([{ satisfied: false }]);
    expect(JSON.stringify(engine.completed)).not.toContain('bak');
  });

  it('ignores an invocation of an older visit', async () => {
    await openStep(deps(), payload({ visit: 2, taskToken: 'token-9' }));
    notifier.sent = [];
    repo.events = [];
    expect(await openStep(deps(), payload({ notice: 'reminder', taskToken: 'token-old' }))).toEqual({
      result: 'stale',
    });
    expect((await repo.getStep('case-1', 'present'))?.taskToken).toBe('token-9');
    expect(notifier.sent).toEqual([]);
    expect(repo.events).toEqual([]);
  });
});

describe('openStep: invocations that cannot be right', () => {
  it('names an unknown step, a stage mismatch and an unknown case', async () => {
    await expect(openStep(deps(), payload({ stepId: 'nope' }))).rejects.toMatchObject({
      name: 'OpenStep.UnknownStep',
    });
    await expect(openStep(deps(), payload({ stageId: 'feedback' }))).rejects.toMatchObject({
      name: 'OpenStep.UnknownStep',
    });
    await expect(openStep(deps(), payload({ caseId: 'case-x' }))).rejects.toMatchObject({
      name: 'OpenStep.UnknownCase',
    });
    expect(repo.steps.size).toBe(0);
  });

  it('leaves a closed case alone', async () => {
    repo.cases.set('case-1', makeCase('case-1', { phone, status: 'CANCELLED' }));
    expect(await openStep(deps(), payload())).toEqual({ result: 'case-closed' });
    expect(repo.steps.size).toBe(0);
    expect(notifier.sent).toEqual([]);
  });
});

describe('allocateShortCode', () => {
  it('is a letter without I or O and a digit, the same for the same seed', () => {
    const code = allocateShortCode(new Set(), 'seed');
    expect(code).toMatch(CODE);
    expect(allocateShortCode(new Set(), 'seed')).toBe(code);
  });

  it('finds the last free code', () => {
    const all = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'].flatMap((l) => [...'0123456789'].map((d) => `${l}${d}`));
    expect(all).toHaveLength(240);
    const taken = new Set(all.filter((c) => c !== 'M4'));
    expect(allocateShortCode(taken, 'anything')).toBe('M4');
  });
});
