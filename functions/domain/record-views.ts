import { caseCipher } from './case-keys';
import type { CaseRecord, StepRecord } from './model';
import type { PiiVault } from './pii';

// Records as they may leave the server outside a whole case view (views.ts): a case in a list, and a
// step after it was answered. Nothing secret: no task token, no sealed values.

/** The provider's reference of a case, opened with its key (what lists show). */
export function referenceOf(vault: PiiVault, c: CaseRecord): string | undefined {
  return caseCipher(vault, c).open(c.referenceEnc) ?? (c.erased ? undefined : c.reference);
}

/** The short form in lists: the reference opened, which a read of the list logs. */
export function caseSummary(c: CaseRecord, reference: string | undefined) {
  return {
    caseId: c.caseId,
    serviceId: c.serviceId,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    ...(reference !== undefined && { reference }),
    ...(c.erased && { erased: true }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A step record as it may leave the server: without the task token or sealed values. */
export function publicStep(
  step: StepRecord,
): Omit<
  StepRecord,
  'taskToken' | 'dataEnc' | 'proposals' | 'proposalOpen' | 'proposalSeq' | 'retime' | 'tokenRetimed'
> {
  // Proposals hold sealed reasons; the case view shows them opened (proposals/view.ts).
  const {
    taskToken: _secret,
    dataEnc: _sealed,
    proposals: _proposals,
    proposalOpen: _open,
    proposalSeq: _seq,
    retime: _retime,
    tokenRetimed: _retimed,
    ...rest
  } = step;
  return rest;
}
