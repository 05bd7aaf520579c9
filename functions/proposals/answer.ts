import { CaseErasedError, caseCipher } from '../domain/case-keys';
import type { Actor, CaseRecord, Channel, ProposalRecord, StepRecord } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type { CaseRepository, Clock } from '../domain/ports';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors';
import { shifted } from './limits';
import type { ProposalStore, TaskRetimer } from './ports';
import { PROPOSAL_ID } from './propose';

// The other partner answers a proposal. The answer is one conditional write on the step (only while
// the proposal is its open one and the step is open in that visit), so answering twice, or two
// answers at once, count once. An accepted proposal moves the step's due date and expiry in that same
// write and stores the shift of this visit's schedule; then the running wait is ended with
// Step.Retimed, and the state machine re-arms it on the new schedule (retime-step). Should that wait
// end just then for another reason, the next wait finds the schedule moved and re-arms itself
// (open-step), so the new timing is never lost.

export interface AnswerDeps {
  repo: CaseRepository;
  proposals: ProposalStore;
  retimer: TaskRetimer;
  clock: Clock;
  vault: PiiVault;
}

export interface AnswerRequest {
  record: CaseRecord;
  proposalId: string;
  by: Actor;
  accept: boolean;
  note?: string;
  channel: Channel;
}

export interface AnswerOutcome {
  proposalId: string;
  status: 'ACCEPTED' | 'DECLINED';
  stepId: string;
  /** The step's due date after the answer. */
  dueAt: string;
}

const notFound = (proposalId: string) => new NotFoundError('This case has no such proposal.', { proposalId });

export async function answerProposal(deps: AnswerDeps, req: AnswerRequest): Promise<AnswerOutcome> {
  const { record } = req;
  if (record.erased) throw new CaseErasedError();
  const stepId = PROPOSAL_ID.exec(req.proposalId)?.[1];
  if (!stepId) throw notFound(req.proposalId);
  const noteEnc = req.note ? caseCipher(deps.vault, record).seal(req.note) : undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const step = await deps.repo.getStep(record.caseId, stepId);
    const proposal = step?.proposals?.[req.proposalId];
    if (!step || !proposal) throw notFound(req.proposalId);
    if (proposal.by === req.by)
      throw new ForbiddenError(
        `This proposal is the ${req.by}'s own; the other partner answers it.`,
        { proposalId: req.proposalId },
        'NOT_YOURS_TO_ANSWER',
      );
    if (proposal.status !== 'OPEN') throw answered(proposal);
    if (record.status !== 'ACTIVE' || step.status !== 'OPEN' || step.visit !== proposal.visit)
      throw await expire(deps, record, step, proposal);
    const at = deps.clock.now().toISOString();
    const move = req.accept ? moveOf(step, proposal) : undefined;
    const status = req.accept ? 'ACCEPTED' : 'DECLINED';
    const written = await deps.proposals.answer(record.caseId, stepId, {
      proposalId: req.proposalId,
      visit: proposal.visit,
      status,
      answeredAt: at,
      ...(noteEnc && { noteEnc }),
      ...(move && { move }),
    });
    // Answered or closed meanwhile: the step read again says which.
    if (!written) continue;
    await deps.repo.appendEvent(
      {
        caseId: record.caseId,
        at,
        type: req.accept ? 'PROPOSAL_ACCEPTED' : 'PROPOSAL_DECLINED',
        actor: req.by,
        stepId,
        channel: req.channel,
        detail: { proposalId: req.proposalId, dueAt: proposal.dueAt, ...(noteEnc && { noteEnc }) },
      },
      `proposal-answer-${req.proposalId}`,
    );
    if (!move) return { proposalId: req.proposalId, status, stepId, dueAt: step.dueAt };
    await deps.repo.appendEvent(
      {
        caseId: record.caseId,
        at: new Date(Date.parse(at) + 1).toISOString(),
        type: 'STEP_RETIMED',
        actor: 'system',
        stepId,
        detail: { from: step.dueAt, to: move.dueAt, shiftSeconds: proposal.shiftSeconds, visit: step.visit },
      },
      `retimed-${req.proposalId}`,
    );
    // The token the step held at the write: a wait that started later already runs on the new schedule.
    if (written.taskToken) await deps.retimer.retimeTask(written.taskToken);
    return { proposalId: req.proposalId, status, stepId, dueAt: move.dueAt };
  }
  throw new ConflictError('PROPOSAL_BUSY', 'The step changed while answering; try again.');
}

function moveOf(step: StepRecord, proposal: ProposalRecord) {
  const before = step.retime?.visit === step.visit ? step.retime.shiftSeconds : 0;
  return {
    dueAt: shifted(step.dueAt, proposal.shiftSeconds),
    expiresAt: shifted(step.expiresAt, proposal.shiftSeconds),
    shiftSeconds: before + proposal.shiftSeconds,
  };
}

function answered(proposal: ProposalRecord): ConflictError {
  const code = proposal.status === 'EXPIRED' ? 'PROPOSAL_EXPIRED' : 'PROPOSAL_ANSWERED';
  return new ConflictError(
    code,
    proposal.status === 'EXPIRED'
      ? 'This proposal lapsed: its step closed before it was answered.'
      : `This proposal was answered already (${proposal.status.toLowerCase()}).`,
    { proposalId: proposal.proposalId, status: proposal.status },
  );
}

/** The step closed before the answer: the proposal lapses (once), and the answer is a 409. */
async function expire(
  deps: AnswerDeps,
  record: CaseRecord,
  step: StepRecord,
  proposal: ProposalRecord,
): Promise<ConflictError> {
  const at = deps.clock.now().toISOString();
  if (await deps.proposals.expire(record.caseId, step.stepId, proposal.proposalId, at))
    await deps.repo.appendEvent(
      {
        caseId: record.caseId,
        at,
        type: 'PROPOSAL_EXPIRED',
        actor: 'system',
        stepId: step.stepId,
        detail: { proposalId: proposal.proposalId, dueAt: proposal.dueAt },
      },
      `proposal-expired-${proposal.proposalId}`,
    );
  return answered({ ...proposal, status: 'EXPIRED' });
}
