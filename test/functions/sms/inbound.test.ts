import { beforeEach, describe, expect, it } from 'vitest';
import { smsSegments } from '../../../functions/domain/gsm7';
import { renderMessage } from '../../../functions/domain/messages';
import type { CaseRecord } from '../../../functions/domain/model';
import { openStep } from '../../../functions/domain/open-step';
import { TEXTS } from '../../../functions/domain/sms-texts';
import { REPLAYED, receiveSms } from '../../../functions/sms/inbound';
import { findService } from '../../../workflows/catalog';
import {
  answersOf,
  catalogService,
  fixedClock,
  MemoryEngine,
  MemoryNotifier,
  MemoryRepo,
  makeCase,
  publicUrl,
  stepTitle,
  vault,
} from '../domain/sms-fakes';

const phone = '+31612345678';
const waste = catalogService();
let repo: MemoryRepo;
let engine: MemoryEngine;
let sid = 0;
const clock = fixedClock('2026-03-02T09:00:00.000Z');
const deps = () => ({ repo, engine, clock, vault, publicUrl, findService });
const sms = (body: string, messageSid = `SM${++sid}`) =>
  receiveSms(deps(), { from: phone, body, messageSid });

async function open(
  caseId: string,
  over: { serviceId?: string; stageId?: string; stepId?: string; locale?: 'nl' | 'en' } = {},
) {
  const record = makeCase(caseId, { phone, serviceId: over.serviceId ?? 'waste-collection' });
  repo.cases.set(caseId, { ...record, citizen: { ...record.citizen, locale: over.locale ?? 'nl' } });
  const notifier = new MemoryNotifier();
  await openStep(
    { repo, engine, retimer: engine, notifier, vault, publicUrl, findService },
    {
      caseId,
      serviceId: over.serviceId ?? 'waste-collection',
      stageId: over.stageId ?? 'round',
      stepId: over.stepId ?? 'present',
      notice: 'invite',
      visit: 1,
      taskToken: `token-${caseId}`,
      enteredAt: '2026-03-02T06:00:00.000Z',
    },
  );
  const step = await repo.getStep(caseId, over.stepId ?? 'present');
  return step?.shortCode ?? '';
}

function confirmation(caseId: string, code: string, locale: 'nl' | 'en' = 'nl') {
  return renderMessage(waste, 'confirmation', locale, {
    org: 'Gemeente Utrecht',
    step: stepTitle(waste, 'present', locale),
    due: '04-03-2026',
    link: `${publicUrl}/c/${vault.linkToken(caseId)}`,
    code,
  });
}

beforeEach(() => {
  repo = new MemoryRepo();
  engine = new MemoryEngine();
});

describe('answers', () => {
  it('submits the only open step without a code and confirms with the service text', async () => {
    const code = await open('case-1');
    expect(await sms('Ja, bak stond er')).toBe(confirmation('case-1', code));
    expect(await repo.getStep('case-1', 'present')).toMatchObject({ status: 'DONE', channel: 'sms' });
    expect(await answersOf(repo, 'case-1', 'present')).toEqual({ presented: true, note: 'bak stond er' });
    // `present` has no outcome rule: the engine gets none of the answers (workflows/routing.ts).
    expect(engine.completed).toMatchObject([
      {
        taskToken: 'token-case-1',
        output: { stepId: 'present', actor: 'citizen', channel: 'sms', data: {} },
      },
    ]);
  });

  it('needs the code when the phone has several open steps, and takes the one it names', async () => {
    const a = await open('case-1');
    const b = await open('case-2');
    expect(a).not.toBe(b);
    const reply = await sms('nee');
    expect(reply).toContain('Welke stap bedoelt u?');
    expect(reply).toContain(a);
    expect(reply).toContain(b);
    expect(engine.completed).toEqual([]);
    expect(await sms(`${b.toLowerCase()} nee`)).toBe(confirmation('case-2', b));
    expect(await answersOf(repo, 'case-2', 'present')).toEqual({ presented: false });
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
    // The space left out, as a phone's keyboard often does: still the open code it names.
    expect(await sms(`${a.toLowerCase()}ja`)).toBe(confirmation('case-1', a));
    expect(await answersOf(repo, 'case-1', 'present')).toEqual({ presented: true });
  });

  it('names a code it does not know and lists the open ones', async () => {
    const code = await open('case-1');
    const unknown = code === 'Z9' ? 'Z8' : 'Z9';
    const reply = await sms(`${unknown} ja`);
    // The title is a question ('Afval aangeboden?'): no full stop after it.
    expect(reply).toBe(`Code ${unknown} kennen we niet. Open: ${code} ${stepTitle(waste, 'present', 'nl')}`);
    expect(engine.completed).toEqual([]);
  });

  it('says so kindly when nothing is open', async () => {
    expect(await sms('ja')).toBe(`${TEXTS.nl.none} / ${TEXTS.en.none}`);
  });

  it('explains what it expected for an unreadable answer and logs the attempt without the text', async () => {
    await open('case-1');
    expect(await sms('misschien morgen', 'SM-unclear')).toBe(`${TEXTS.nl.unclear(TEXTS.nl.yesNo)}`);
    expect(await sms('misschien morgen', 'SM-unclear')).toBe(REPLAYED);
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
    const refused = repo.events.filter((e) => e.type === 'SUBMISSION_REFUSED');
    expect(refused).toMatchObject([
      { stepId: 'present', channel: 'sms', detail: { reason: 'UNCLEAR_ANSWER' } },
    ]);
    expect(JSON.stringify(repo.events)).not.toContain('misschien');
  });

  it('answers in English for an English case', async () => {
    await open('case-1', { locale: 'en' });
    expect(await sms('perhaps')).toBe('We did not understand your answer. Reply YES or NO.');
  });

  it('turns a note that is too long into a clear reply', async () => {
    await open('case-1');
    expect(await sms(`ja ${'x'.repeat(1200)}`)).toBe(TEXTS.nl.invalid(TEXTS.nl.text(1000)));
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
    expect(repo.events.at(-1)).toMatchObject({
      type: 'SUBMISSION_REFUSED',
      detail: { reason: 'VALIDATION_FAILED' },
    });
  });

  it('asks to send again when the step stopped waiting for good (its expiry) just before the answer', async () => {
    await open('case-1');
    engine.rejected.add('token-case-1');
    // present: opened 2 March 06:00, expires 9 March 06:00.
    const atExpiry = { ...deps(), clock: fixedClock('2026-03-09T06:00:00.000Z') };
    expect(await receiveSms(atExpiry, { from: phone, body: 'ja', messageSid: 'SM-expiry' })).toBe(
      TEXTS.nl.retry,
    );
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
  });

  it('confirms an answer that comes as a reminder replaces the wait: the next wait takes it', async () => {
    const code = await open('case-1');
    engine.rejected.add('token-case-1'); // the invite's wait timed out; the reminder's has no token yet
    expect(await sms('ja')).toBe(confirmation('case-1', code));
    const reminder = await openStep(
      { repo, engine, retimer: engine, notifier: new MemoryNotifier(), vault, publicUrl, findService },
      {
        caseId: 'case-1',
        serviceId: 'waste-collection',
        stageId: 'round',
        stepId: 'present',
        notice: 'reminder',
        visit: 1,
        taskToken: 'token-reminder',
        enteredAt: '2026-03-03T02:00:00.000Z',
      },
    );
    expect(reminder.result).toBe('already-done');
    expect(engine.completed.map((c) => c.taskToken)).toEqual(['token-reminder']);
  });

  it('points to the link for a step that cannot be answered by SMS', async () => {
    await open('case-1', {
      serviceId: 'child-development',
      stageId: 'observe',
      stepId: 'parent-observations',
    });
    expect(await sms('Hij leest graag')).toBe(TEXTS.nl.webOnly);
    expect(engine.completed).toEqual([]);
  });

  it('ignores steps of a case that is no longer active', async () => {
    await open('case-1');
    const record = repo.cases.get('case-1');
    if (record) repo.cases.set('case-1', { ...record, status: 'CANCELLED' });
    expect(await sms('ja')).toBe(`${TEXTS.nl.none} / ${TEXTS.en.none}`);
  });
});

describe('copies of a message (gateway retries, replayed signed requests)', () => {
  const stepOf = (caseId: string, stepId: string) => repo.getStep(caseId, stepId);

  it('does not submit twice; a copy gets one neutral reply without the link', async () => {
    await open('case-1');
    const first = await sms('ja', 'SM-retry');
    expect(first).toContain(vault.linkToken('case-1'));
    const again = await sms('ja', 'SM-retry');
    expect(again).toBe(REPLAYED);
    expect(again).toBe(`${TEXTS.nl.duplicate} / ${TEXTS.en.duplicate}`);
    expect(again).not.toContain(publicUrl);
    expect(engine.completed).toHaveLength(1);
  });

  it('finishes the first delivery when it failed before the answer was saved', async () => {
    await open('case-1');
    repo.claimed.set('SM-crashed', {
      outcome: 'submitting',
      answers: { caseId: 'case-1', stepId: 'present', visit: 1 },
    });
    expect(await sms('ja', 'SM-crashed')).toBe(REPLAYED);
    expect(await stepOf('case-1', 'present')).toMatchObject({ status: 'DONE' });
    expect(await answersOf(repo, 'case-1', 'present')).toEqual({ presented: true });
    expect(engine.completed).toHaveLength(1);
  });

  it('changes nothing when replayed after the step moved on: the next open step is not answered', async () => {
    await open('case-1');
    await sms('nee', 'SM-old');
    // The case is in its next stage: a new citizen step is open for the same phone.
    const next = await open('case-1', { stageId: 'feedback', stepId: 'household-feedback' });
    expect(next).not.toBe('');
    const before = JSON.stringify([[...repo.steps.values()], repo.events, engine.completed]);
    for (const _ of [1, 2]) expect(await sms('nee', 'SM-old')).toBe(REPLAYED);
    expect(await stepOf('case-1', 'household-feedback')).toMatchObject({ status: 'OPEN' });
    expect(JSON.stringify([[...repo.steps.values()], repo.events, engine.completed])).toBe(before);
  });

  it('does not answer the same step again when the case came back to it (a new visit)', async () => {
    await open('case-1');
    // The first delivery's claim says it was submitting to visit 1; the step is now open at visit 2.
    repo.claimed.set('SM-v1', {
      outcome: 'submitting',
      answers: { caseId: 'case-1', stepId: 'present', visit: 1 },
    });
    const step = repo.steps.get('case-1#present');
    if (step) step.visit = 2;
    expect(await sms('nee', 'SM-v1')).toBe(REPLAYED);
    expect(await stepOf('case-1', 'present')).toMatchObject({ status: 'OPEN', visit: 2 });
    expect(engine.completed).toEqual([]);
  });

  it('changes nothing when replayed after the case ended', async () => {
    await open('case-1');
    await sms('ja', 'SM-end');
    const record = repo.cases.get('case-1');
    if (record) repo.cases.set('case-1', { ...record, status: 'COMPLETED' });
    const events = repo.events.length;
    expect(await sms('ja', 'SM-end')).toBe(REPLAYED);
    expect(repo.events).toHaveLength(events);
    expect(engine.completed).toHaveLength(1);
  });

  it('does not submit a refused answer later: an answer to a FAILED case stays refused after the redrive', async () => {
    await open('case-1');
    const record = repo.cases.get('case-1') as CaseRecord;
    repo.cases.set('case-1', { ...record, status: 'FAILED' });
    expect(await sms('ja', 'SM-failed')).toBe(TEXTS.nl.failed);
    repo.cases.set('case-1', { ...record, status: 'ACTIVE' });
    expect(await sms('ja', 'SM-failed')).toBe(REPLAYED);
    expect(await stepOf('case-1', 'present')).toMatchObject({ status: 'OPEN' });
    expect(engine.completed).toEqual([]);
  });

  it('reveals nothing to a copy of HELP or of an unknown code', async () => {
    const code = await open('case-1');
    expect(await sms('HELP', 'SM-help')).toContain(code);
    expect(await sms('HELP', 'SM-help')).toBe(REPLAYED);
    expect(await sms('Z9 ja', 'SM-code')).toContain(code);
    expect(await sms('Z9 ja', 'SM-code')).toBe(REPLAYED);
  });

  it('does not opt out again on a retried STOP after START', async () => {
    await sms('STOP', 'SM-stop');
    await sms('START', 'SM-start');
    expect(await sms('STOP', 'SM-stop')).toBe(REPLAYED);
    expect(await repo.isOptedOut(vault.hash(phone))).toBe(false);
  });
});

describe('notes', () => {
  it('keeps line breaks in a long note (as LF) and refuses other control characters', async () => {
    await open('case-1');
    expect(await sms('ja\nbak stond\r\nbij de poort')).toContain('dank u');
    expect(await answersOf(repo, 'case-1', 'present')).toEqual({
      presented: true,
      note: 'bak stond\nbij de poort',
    });
    const code = await open('case-2');
    const reply = await sms(`${code} ja \u001b[2Jweg`);
    // The reply says what was wrong with the note: a character, not its length.
    expect(reply).toBe(TEXTS.nl.invalid(TEXTS.nl.characters));
    const other = await open('case-3');
    expect(await sms(`${other} ja de bak \u200b was vol`)).toBe(TEXTS.nl.invalid(TEXTS.nl.characters));
  });
});

describe('keywords', () => {
  it('STOP and AFMELDEN opt out without cancelling anything; START opts in again', async () => {
    await open('case-1');
    expect(await sms('Stop')).toBe(TEXTS.nl.optedOut);
    expect(await repo.isOptedOut(vault.hash(phone))).toBe(true);
    expect(repo.cases.get('case-1')?.status).toBe('ACTIVE');
    expect((await repo.getStep('case-1', 'present'))?.status).toBe('OPEN');
    expect(await sms('aanmelden')).toBe(TEXTS.nl.optedIn);
    expect(await repo.isOptedOut(vault.hash(phone))).toBe(false);
    await sms('AFMELDEN');
    expect(await repo.isOptedOut(vault.hash(phone))).toBe(true);
  });

  it('HELP lists the open codes with their titles in one GSM-7 segment', async () => {
    const a = await open('case-1');
    const b = await open('case-2', { locale: 'nl' });
    const reply = await sms('help');
    expect(reply).toContain(`${a} ${stepTitle(waste, 'present', 'nl')}`);
    expect(reply).toContain(b);
    expect(smsSegments(reply)).toBe(1);
    expect(await sms('INFO')).toBe(reply);
  });

  it("offers by code only the steps a text can answer, each titled in its own case's language", async () => {
    const web = await open('case-1', {
      serviceId: 'child-development',
      stageId: 'observe',
      stepId: 'parent-observations',
      locale: 'en',
    });
    const text = await open('case-2', { locale: 'nl' });
    const help = await sms('HELP');
    expect(help).toContain(`${text} ${stepTitle(waste, 'present', 'nl')}`);
    expect(help).not.toContain(web);
    // The title ends in '?': the list gets no second full stop.
    expect(help).not.toContain('?.');
    // A bare answer goes to the one step a text can answer.
    expect(await sms('ja')).toBe(confirmation('case-2', text));
    expect(engine.completed.map((c) => c.taskToken)).toEqual(['token-case-2']);
  });

  it('points to the link when only steps answered through it are open', async () => {
    const observe = { serviceId: 'child-development', stageId: 'observe', stepId: 'parent-observations' };
    await open('case-1', observe);
    await open('case-2', observe);
    expect(await sms('HELP')).toBe(TEXTS.nl.webOnly);
    expect(await sms('Hij leest graag')).toBe(TEXTS.nl.webOnly);
    // A code of before (a step since answered, or a stage gone back): said to be closed, nothing saved.
    const old = await sms('h2 ja');
    expect(old).toBe(TEXTS.nl.codeWebOnly('H2'));
    expect(old).toContain('niets opgeslagen');
    expect(engine.completed).toEqual([]);
  });

  it('HELP without open steps says so in both languages', async () => {
    expect(await sms('hellup')).toBe(`${TEXTS.nl.helpNone} / ${TEXTS.en.helpNone}`);
  });
});

describe('a FAILED case', () => {
  it('takes no answer by SMS meanwhile and says why; the step stays open for after the redrive', async () => {
    const code = await open('case-1');
    const record = repo.cases.get('case-1');
    if (record) repo.cases.set('case-1', { ...record, status: 'FAILED' });
    expect(await sms('ja')).toBe(TEXTS.nl.failed);
    expect(await sms(`${code} ja`)).toBe(TEXTS.nl.failed);
    expect(await repo.getStep('case-1', 'present')).toMatchObject({ status: 'OPEN' });
    expect(engine.completed).toEqual([]);
    // HELP still lists the step: it is open, only waiting for the organisation's side.
    expect(await sms('HELP')).toContain(code);
  });
});
