import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../functions/domain/model';
import { type CaseStanding, caseStatusDto, refusedStatus } from '../../../functions/domain/status-view';
import { agreementCase, agreementStep, carePlan } from '../../support/care-plan-rerun';

// The records of the care plan's agreement stage (test/support/care-plan-rerun.ts), as the status view reads them.
const standing = (steps: CaseStanding['steps']): CaseStanding => ({ case: agreementCase(), steps });

const statusOf = (view: CaseStanding, stepId: string) =>
  caseStatusDto(carePlan, view).steps.find((s) => s.stepId === stepId)?.status;

describe('where a case stands', () => {
  it('shows a step that opens after another as not yet reached while the stage runs again without it', () => {
    // The patient rejected the plan in the stage's first visit (2); after the assessment the provider
    // is writing a new one (visit 4): the old "no" is not where the case stands.
    const view = standing([
      agreementStep('own-possibilities', 3, 'DONE'),
      agreementStep('provider-assessment', 3, 'DONE'),
      agreementStep('propose-plan', 4, 'OPEN'),
      agreementStep('accept-plan', 2, 'DONE'),
    ]);
    expect(statusOf(view, 'accept-plan')).toBe('PENDING');
    expect(statusOf(view, 'propose-plan')).toBe('OPEN');
    // Steps that open at their stage's entry keep their own record's status.
    expect(statusOf(view, 'own-possibilities')).toBe('DONE');
  });

  it('shows it as it is once it opened in the same visit as its chain, and in an earlier stage visit', () => {
    const reopened = standing([
      agreementStep('propose-plan', 4, 'DONE'),
      agreementStep('accept-plan', 4, 'OPEN'),
    ]);
    expect(statusOf(reopened, 'accept-plan')).toBe('OPEN');
    const done = standing([
      agreementStep('propose-plan', 2, 'DONE'),
      agreementStep('accept-plan', 2, 'DONE'),
    ]);
    expect(statusOf(done, 'accept-plan')).toBe('DONE');
    expect(statusOf(standing([]), 'accept-plan')).toBe('PENDING');
  });
});

describe('the status a refusal names', () => {
  const agreement = carePlan.stages.find((s) => s.id === 'agreement');
  if (!agreement) throw new Error('care-plan has an agreement stage');
  const repoOf = (records: StepRecord[]) => {
    const reads: string[] = [];
    return {
      reads,
      getStep: async (_caseId: string, stepId: string) => {
        reads.push(stepId);
        return records.find((r) => r.stepId === stepId);
      },
    };
  };

  it('is PENDING for a step not reached again in this visit, as the views show it', async () => {
    const repo = repoOf([agreementStep('propose-plan', 4, 'OPEN'), agreementStep('accept-plan', 2, 'DONE')]);
    expect(await refusedStatus(repo, 'c-rerun', agreement, agreementStep('accept-plan', 2, 'DONE'))).toBe(
      'PENDING',
    );
    expect(repo.reads).toEqual(['propose-plan']);
  });

  it("is the record's own status otherwise, reading nothing more for a step that opens at the entry", async () => {
    const repo = repoOf([agreementStep('propose-plan', 4, 'DONE'), agreementStep('accept-plan', 4, 'DONE')]);
    expect(await refusedStatus(repo, 'c-rerun', agreement, agreementStep('accept-plan', 4, 'DONE'))).toBe(
      'DONE',
    );
    expect(await refusedStatus(repo, 'c-rerun', agreement, agreementStep('propose-plan', 4, 'DONE'))).toBe(
      'DONE',
    );
    expect(await refusedStatus(repo, 'c-rerun', agreement, undefined)).toBe('PENDING');
    expect(repo.reads).toEqual(['propose-plan']);
  });
});
