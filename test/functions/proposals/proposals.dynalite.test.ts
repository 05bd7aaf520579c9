import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { openStep } from '../../../functions/domain/open-step';
import type { OpenStepPayload } from '../../../functions/domain/open-step-payload';
import { submitStep } from '../../../functions/domain/submit';
import { answerProposal } from '../../../functions/proposals/answer';
import { DynamoProposalStore } from '../../../functions/proposals/dynamo-proposals';
import { propose } from '../../../functions/proposals/propose';
import { AppError } from '../../../functions/shared/errors';
import { findService } from '../../../workflows/catalog';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { fixedClock, MemoryEngine, MemoryNotifier, makeCase, publicUrl, vault } from '../domain/sms-fakes';

// The rules of negotiated due dates against a real DynamoDB API (dynalite) with the real repository
// and proposal store: who may answer, once, the limits per side and step, a proposal that lapses with
// its step, and an accepted one re-timing the running wait (and a wait planned on the old schedule
// re-timing itself), and an answer sent while that wait re-arms.

let table: LocalTable;
let repo: DynamoCaseRepository;
let store: DynamoProposalStore;
let db: ReturnType<typeof localDocumentClient>;
const notifier = new MemoryNotifier();
const engine = new MemoryEngine();
const clock = fixedClock('2026-03-02T09:00:00.000Z');
let n = 0;
let caseId = '';
type Side = 'citizen' | 'provider';

beforeAll(async () => {
  table = await startDynalite();
  db = localDocumentClient(table.endpoint);
  repo = new DynamoCaseRepository(db, table.tableName);
  store = new DynamoProposalStore(() => db, table.tableName);
});
afterAll(async () => {
  db?.destroy();
  await table?.stop();
});

const payload = (over: Partial<OpenStepPayload> = {}): OpenStepPayload => ({
  caseId,
  serviceId: 'waste-collection',
  stageId: 'round',
  stepId: 'present',
  notice: 'invite',
  visit: 1,
  taskToken: 'token-1',
  enteredAt: '2026-03-02T06:00:00.000Z',
  shiftSeconds: 0,
  ...over,
});
const openDeps = () => ({ repo, engine, retimer: engine, notifier, vault, publicUrl, findService });
const deps = () => ({
  repo,
  proposals: store,
  retimer: engine,
  clock,
  vault,
  sms: { repo, notifier, vault, publicUrl },
});
const record = async () => {
  const found = await repo.getCase(caseId);
  if (!found) throw new Error('no case');
  return found;
};
const codeOf = async (call: Promise<unknown>) => {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};
/** A proposal about `present`: the citizen's, for 6 March, unless told otherwise. */
const proposeOnPresent = async (over: { by?: Side; dueAt?: string; reason?: string } = {}) =>
  propose(deps(), {
    record: await record(),
    stepId: 'present',
    by: 'citizen',
    dueAt: '2026-03-06',
    reason: 'r',
    ...over,
  });
/** `by`'s answer to a proposal, over the API unless told otherwise. */
const answerBy = async (by: Side, proposalId: string, accept: boolean, channel: 'api' | 'web' = 'api') =>
  answerProposal(deps(), { record: await record(), proposalId, by, accept, channel });

beforeEach(async () => {
  caseId = `case-${++n}`;
  await repo.createCase(makeCase(caseId, { phone: '+31612345678' }), `link-${n}`);
  // present: opened 06:00 on 2 March, reminder after 20 hours, due 4 March 06:00, expiry 9 March.
  await openStep(openDeps(), payload());
});

describe('proposing a due date', () => {
  it('is answered by the other partner only, once; accepted, it moves the dates and re-times the wait', async () => {
    const made = await proposeOnPresent({ reason: 'Op vakantie' });
    expect(made.status).toBe('OPEN');
    const stored = (by: Side, accept: boolean) => answerBy(by, made.proposalId, accept);
    expect(await codeOf(stored('citizen', true))).toBe('NOT_YOURS_TO_ANSWER');
    const results = await Promise.all([stored('provider', true), stored('provider', false)].map(codeOf));
    expect(results.sort()).toEqual(['OK', 'PROPOSAL_ANSWERED']);

    const step = await repo.getStep(caseId, 'present');
    const proposal = step?.proposals?.[made.proposalId];
    expect(proposal?.status).toBe('ACCEPTED');
    expect(step?.dueAt).toBe('2026-03-06T06:00:00.000Z');
    expect(step?.expiresAt).toBe('2026-03-11T06:00:00.000Z');
    expect(step?.retime).toEqual({ visit: 1, shiftSeconds: 2 * 86_400 });
    // The running wait (token-1) was ended with Step.Retimed.
    expect(engine.retimed).toContain('token-1');
    // The reason is sealed in the table.
    expect(JSON.stringify(step)).not.toContain('Op vakantie');
  });

  it('keeps to one open proposal per step, and to the limit per side', async () => {
    const at = (by: Side, dueAt: string) => proposeOnPresent({ by, dueAt });
    const results = await Promise.all(
      [at('citizen', '2026-03-05'), at('provider', '2026-03-06')].map(codeOf),
    );
    expect(results.sort()).toEqual(['OK', 'PROPOSAL_ALREADY_OPEN']);
    for (const p of Object.values((await repo.getStep(caseId, 'present'))?.proposals ?? {}))
      await answerBy(p.by === 'citizen' ? 'provider' : 'citizen', p.proposalId, false);
    // Two per side (the definition's default): a side's third is refused.
    const side = (await repo.getStep(caseId, 'present'))?.proposals;
    const by = Object.values(side ?? {})[0]?.by ?? 'citizen';
    const other = by === 'citizen' ? 'provider' : 'citizen';
    const second = await proposeOnPresent({ by, dueAt: '2026-03-07' });
    await answerBy(other, second.proposalId, false);
    expect(await codeOf(at(by, '2026-03-08'))).toBe('PROPOSAL_LIMIT_REACHED');
    expect(await codeOf(at(other, '2026-03-08'))).toBe('OK');
  });

  it('refuses days that are not after today, too far, the current one, and steps that take none', async () => {
    const at = async (dueAt: string, stepId = 'present') =>
      codeOf(propose(deps(), { record: await record(), stepId, by: 'citizen', dueAt, reason: 'r' }));
    expect(await at('2026-03-02')).toBe('VALIDATION_FAILED'); // today on the clock
    expect(await at('2026-02-30')).toBe('VALIDATION_FAILED');
    expect(await at('2026-03-04')).toBe('VALIDATION_FAILED'); // the due date already
    expect(await at('2026-03-12')).toBe('VALIDATION_FAILED'); // 8 days: more than a week (maxShift P7D)
    expect(await at('2026-03-11')).toBe('OK');
    expect(await at('2026-03-05', 'household-feedback')).toBe('PROPOSALS_NOT_OFFERED');
    expect(await at('2026-03-05', 'collect')).toBe('STEP_NOT_OPEN');
  });

  it('lapses when its step closes: answering it then is a 409, and it shows as EXPIRED', async () => {
    const made = await proposeOnPresent({ by: 'provider', dueAt: '2026-03-05' });
    // The step is answered meanwhile (its visit done).
    const submitted = await repo.completeStep(caseId, {
      stepId: 'present',
      actor: 'citizen',
      channel: 'web',
      submittedAt: '2026-03-02T10:00:00.000Z',
      dataEnc: 'x',
    });
    expect(submitted).toMatchObject({ status: 'DONE', visit: 1 });
    const late = answerBy('citizen', made.proposalId, true, 'web');
    expect(await codeOf(late)).toBe('PROPOSAL_EXPIRED');
    const view = await repo.getCaseView(caseId);
    expect(view?.events.map((e) => e.type)).toContain('PROPOSAL_EXPIRED');
    expect((await repo.getStep(caseId, 'present'))?.proposals?.[made.proposalId]?.status).toBe('EXPIRED');
  });

  it('counts an answer sent while the accepted proposal re-arms the wait: the re-armed wait takes it over', async () => {
    const made = await proposeOnPresent();
    await answerBy('provider', made.proposalId, true);
    expect(engine.retimed).toContain('token-1');
    engine.rejected.add('token-1'); // Step.Retimed ended that wait; the re-armed one has not started yet
    expect((await repo.getStep(caseId, 'present'))?.tokenRetimed).toBe(true);
    const answered = await submitStep(
      { repo, engine, clock, vault },
      { caseId, stepId: 'present', actor: 'citizen', channel: 'sms', data: { presented: true } },
    );
    expect(answered.step.status).toBe('DONE');
    // The re-armed wait (retime-step found the step answered: a short wait, no notice) gets the answer.
    const rearmed = await openStep(
      openDeps(),
      payload({
        notice: 'none',
        taskToken: 'token-2',
        enteredAt: '2026-03-02T09:00:01.000Z',
        shiftSeconds: 2 * 86_400,
      }),
    );
    expect(rearmed.result).toBe('already-done');
    const handed = engine.completed.filter((c) => c.taskToken === 'token-2').map((c) => c.output);
    expect(handed).toMatchObject([{ stepId: 'present', actor: 'citizen', channel: 'sms' }]);
    const step = await repo.getStep(caseId, 'present');
    expect(step).toMatchObject({ status: 'DONE', taskToken: 'token-2' });
    expect(step?.tokenRetimed).toBeUndefined();
    const events = (await repo.getCaseView(caseId))?.events ?? [];
    expect(events.filter((e) => e.type === 'STEP_SUBMITTED')).toHaveLength(1);
  });

  it('re-times a wait that was planned on the old schedule when it starts after the answer', async () => {
    const made = await proposeOnPresent();
    engine.rejected.add('token-1'); // the invite's wait has just timed out: the retime finds no token
    await answerBy('provider', made.proposalId, true);
    // The definition's reminder segment starts now, planned without the shift: it is re-timed, no SMS.
    const texts = notifier.sent.length;
    const outcome = await openStep(
      openDeps(),
      payload({ notice: 'reminder', taskToken: 'token-2', enteredAt: '2026-03-03T02:00:00.000Z' }),
    );
    expect(outcome.result).toBe('retimed');
    expect(engine.retimed).toContain('token-2');
    expect(notifier.sent.length).toBe(texts);
    expect((await repo.getStep(caseId, 'present'))?.reminders).toBe(0);
    // The re-armed wait with the shift goes through.
    const rearmed = await openStep(
      openDeps(),
      payload({
        notice: 'none',
        taskToken: 'token-3',
        enteredAt: '2026-03-03T02:00:01.000Z',
        shiftSeconds: 2 * 86_400,
      }),
    );
    expect(rearmed.result).toBe('rearmed');
    const step = await repo.getStep(caseId, 'present');
    expect(step?.taskToken).toBe('token-3');
    // A new wait holds the token: an answer it refuses is undone again (submit.ts).
    expect(step?.tokenRetimed).toBeUndefined();
  });
});
