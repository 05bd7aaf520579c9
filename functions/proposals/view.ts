import type { DataCipher } from '../domain/case-keys';
import type { Actor, CaseEventType, ProposalStatus, StepRecord } from '../domain/model';

// What both partners see of the proposals: every one, with its status (an OPEN one whose step closed,
// or moved on to another visit, shows as EXPIRED: it can no longer be answered), who proposed it, the
// day, and the reason and answer's note opened in memory with the case's key.

export interface ProposalView {
  proposalId: string;
  stepId: string;
  visit: number;
  by: Actor;
  dueAt: string;
  fromDueAt: string;
  status: ProposalStatus;
  at: string;
  answeredAt?: string;
  reason?: string;
  note?: string;
}

export function proposalViews(steps: readonly StepRecord[], cipher: DataCipher): ProposalView[] {
  return steps
    .flatMap((step) =>
      Object.values(step.proposals ?? {}).map((p): ProposalView => {
        const lapsed = p.status === 'OPEN' && (step.status !== 'OPEN' || step.visit !== p.visit);
        const reason = cipher.open(p.reasonEnc);
        const note = cipher.open(p.noteEnc);
        return {
          proposalId: p.proposalId,
          stepId: step.stepId,
          visit: p.visit,
          by: p.by,
          dueAt: p.dueAt,
          fromDueAt: p.fromDueAt,
          status: lapsed ? 'EXPIRED' : p.status,
          at: p.at,
          ...(p.answeredAt !== undefined && { answeredAt: p.answeredAt }),
          ...(reason !== undefined && { reason }),
          ...(note !== undefined && { note }),
        };
      }),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}

const EVENTS: readonly CaseEventType[] = [
  'PROPOSAL_MADE',
  'PROPOSAL_ACCEPTED',
  'PROPOSAL_DECLINED',
  'PROPOSAL_EXPIRED',
  'STEP_RETIMED',
];

export const isProposalEvent = (type: CaseEventType) => EVENTS.includes(type);

/** A proposal event's detail, for both partners: the reason and note opened, nothing sealed. */
export function proposalDetail(cipher: DataCipher, detail: Record<string, unknown>): Record<string, unknown> {
  const { reasonEnc, noteEnc, ...rest } = detail;
  const reason = typeof reasonEnc === 'string' ? cipher.open(reasonEnc) : undefined;
  const note = typeof noteEnc === 'string' ? cipher.open(noteEnc) : undefined;
  return { ...rest, ...(reason !== undefined && { reason }), ...(note !== undefined && { note }) };
}
