import { randomBytes } from 'node:crypto';
import { CaseErasedError, caseCipher } from '../domain/case-keys';
import { findStep, requireService } from '../domain/definitions';
import type { Actor, CaseRecord, ProposalRecord, StepRecord } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type { CaseRepository, Clock } from '../domain/ports';
import { refusedStatus } from '../domain/status-view';
import { dutchDay } from '../shared/date-format';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { daysBetween, limitsOf, parseDay } from './limits';
import type { ProposalStore } from './ports';
import { type ProposalSmsDeps, textProposal } from './proposal-sms';

// Either partner proposes another due date for an open step, theirs or the other's, with a reason.
// The checks that depend on the step (open, one open proposal, the count per side) are decided on one
// read and written with a condition on that read (ProposalStore.propose), so of concurrent or repeated
// proposals exactly one is made; the others get the 409 that the step, read again, explains.

export interface ProposeDeps {
  repo: CaseRepository;
  /** How the citizen is texted of a provider's proposal: staff's side has it; a citizen's proposal texts nobody. */
  sms?: ProposalSmsDeps;
  proposals: ProposalStore;
  clock: Clock;
  vault: PiiVault;
}

export interface ProposeRequest {
  record: CaseRecord;
  stepId: string;
  by: Actor;
  dueAt: string;
  reason: string;
}

const ATTEMPTS = 3;

/** `<stepId>-<10 hex>`: the answer finds its step from the id alone. */
export const PROPOSAL_ID = /^([a-z][a-z0-9-]{1,39})-([0-9a-f]{10})$/;

export async function propose(
  deps: ProposeDeps,
  req: ProposeRequest,
): Promise<{ proposalId: string; status: 'OPEN' }> {
  const { record } = req;
  if (record.erased) throw new CaseErasedError();
  if (record.status !== 'ACTIVE')
    throw new ConflictError('CASE_CLOSED', `The case is ${record.status.toLowerCase()}.`, {
      status: record.status,
    });
  const located = findStep(requireService(record.serviceId), req.stepId);
  if (!located) throw new NotFoundError(`This case has no step '${req.stepId}'.`, { stepId: req.stepId });
  const limits = limitsOf(located.step);
  if (!limits)
    throw new ConflictError(
      'PROPOSALS_NOT_OFFERED',
      `The due date of step '${req.stepId}' is not open to proposals.`,
      { stepId: req.stepId },
    );
  const day = parseDay(req.dueAt);
  const now = deps.clock.now();
  if (day <= dutchDay(now))
    throw new ValidationError('A new due date lies after today.', {
      fields: { dueAt: `Give a day after ${dutchDay(now)}.` },
    });
  const reasonEnc = caseCipher(deps.vault, record).seal(req.reason);
  const at = now.toISOString();

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const read = await deps.repo.getStep(record.caseId, req.stepId);
    if (read?.status !== 'OPEN')
      throw new ConflictError('STEP_NOT_OPEN', `Step '${req.stepId}' is not open; its due date is fixed.`, {
        stepId: req.stepId,
        status: await refusedStatus(deps.repo, record.caseId, located.stage, read),
      });
    const { step, shiftSeconds } = checkStep(read, req, day, limits);
    const base = { visit: step.visit, seq: step.proposalSeq ?? 0 };
    const proposal: ProposalRecord = {
      proposalId: `${req.stepId}-${randomBytes(5).toString('hex')}`,
      visit: step.visit,
      by: req.by,
      dueAt: day,
      fromDueAt: step.dueAt,
      shiftSeconds,
      reasonEnc,
      at,
      status: 'OPEN',
    };
    if (!(await deps.proposals.propose(record.caseId, req.stepId, base, proposal))) continue;
    await deps.repo.appendEvent(
      {
        caseId: record.caseId,
        at,
        type: 'PROPOSAL_MADE',
        actor: req.by,
        stepId: req.stepId,
        detail: { proposalId: proposal.proposalId, dueAt: day, reasonEnc, visit: step.visit },
      },
      `proposal-${proposal.proposalId}`,
    );
    // The citizen hears of a provider's proposal by SMS, and can answer it there.
    if (req.by === 'provider' && deps.sms)
      await textProposal(deps.sms, record, located.step, step, proposal, at);
    return { proposalId: proposal.proposalId, status: 'OPEN' };
  }
  throw new ConflictError('PROPOSAL_BUSY', 'The step changed while the proposal was made; try again.');
}

/** The step allows this proposal now: returns it with the shift, or throws what stands in the way. */
function checkStep(
  step: StepRecord,
  req: ProposeRequest,
  day: string,
  limits: { maxShiftSeconds: number; perSide: number },
): { step: StepRecord; shiftSeconds: number } {
  const mine = Object.values(step.proposals ?? {}).filter((p) => p.visit === step.visit);
  if (mine.some((p) => p.status === 'OPEN'))
    throw new ConflictError(
      'PROPOSAL_ALREADY_OPEN',
      `Step '${req.stepId}' already has a proposal waiting for an answer.`,
      { stepId: req.stepId },
    );
  const made = mine.filter((p) => p.by === req.by).length;
  if (made >= limits.perSide)
    throw new ConflictError(
      'PROPOSAL_LIMIT_REACHED',
      `The ${req.by} made ${made} proposals for step '${req.stepId}' already, the most this step allows.`,
      { stepId: req.stepId, perSide: limits.perSide },
    );
  const shift = daysBetween(dutchDay(step.dueAt), day);
  if (shift === 0)
    throw new ValidationError('That is the due date already.', {
      fields: { dueAt: 'Give another day than the current due date.' },
    });
  const before = step.retime?.visit === step.visit ? step.retime.shiftSeconds : 0;
  if (Math.abs(before + shift) > limits.maxShiftSeconds) {
    const days = Math.floor(limits.maxShiftSeconds / 86_400);
    throw new ValidationError(`The due date of this step moves by at most ${days} days.`, {
      fields: { dueAt: `At most ${days} days from the planned due date.` },
      maxShiftDays: days,
    });
  }
  return { step, shiftSeconds: shift };
}
