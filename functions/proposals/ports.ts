import type { ProposalRecord, StepRecord } from '../domain/model';

// What the proposals feature needs of storage and of the workflow engine, besides the case repository.

/** The step as a proposal was decided on: its visit and how many proposals it held then. */
export interface ProposalBase {
  visit: number;
  seq: number;
}

export interface ProposalAnswer {
  proposalId: string;
  visit: number;
  status: 'ACCEPTED' | 'DECLINED';
  answeredAt: string;
  noteEnc?: string;
  /** An accepted proposal moves the step's dates and this visit's total shift, in the same write. */
  move?: { dueAt: string; expiresAt: string; shiftSeconds: number };
}

export interface ProposalStore {
  /**
   * Adds the proposal to its step and makes it the open one, only while the step is still as read
   * (OPEN in `base.visit`, `base.seq` proposals made): of concurrent proposals one is written.
   */
  propose(caseId: string, stepId: string, base: ProposalBase, proposal: ProposalRecord): Promise<boolean>;
  /**
   * Closes the open proposal, exactly once: only while it is the step's open one and the step is OPEN
   * in its visit. The step after the write (its current task token), or undefined.
   */
  answer(caseId: string, stepId: string, answer: ProposalAnswer): Promise<StepRecord | undefined>;
  /** An open proposal of a step that closed becomes EXPIRED (once); false when it was not OPEN. */
  expire(caseId: string, stepId: string, proposalId: string, at: string): Promise<boolean>;
}

/**
 * Ends a step's running wait with the error Step.Retimed (SendTaskFailure), so that the state machine
 * re-arms it with the step's new schedule. 'gone': the token no longer waits (answered, timed out).
 */
export interface TaskRetimer {
  retimeTask(taskToken: string): Promise<'sent' | 'gone'>;
}

export const RETIMED_ERROR = 'Step.Retimed';
