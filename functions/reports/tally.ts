import type { Service, Stage } from '../../workflows/schema';
import type { Actor, CaseRecord, FormData } from '../domain/model';
import type { CaseRepository } from '../domain/ports';
import { log } from '../shared/logger';
import { bucketOf } from './histogram';
import type { Addition, Counters, ReportTally } from './ports';
import { caseWaiting, type StageWaiting } from './waiting';

// The running aggregates of the service report, kept up as the events happen (the report never reads
// the cases themselves). Three hooks: a submission that completes a stage visit adds its waiting
// (submit.ts), a reminder or an escalation adds to its side's count (open-step.ts), and a feedback
// answer adds its yes or no (submit.ts). Each counts once, by a marker per fact (ports.ts). A failing
// tally is logged and never fails the submission or the step it counts: the case comes first.

export interface TallyDeps {
  repo: Pick<CaseRepository, 'getStageVisitEvents'>;
  tally: ReportTally;
}

/** The stage holding the partners' feedback (workflows/feedback.ts) and its yes/no field. */
const FEEDBACK = { stageId: 'feedback', field: 'satisfied' } as const;

export const dayOf = (iso: string) => iso.slice(0, 10);

const keyOf = (record: Pick<CaseRecord, 'org' | 'serviceId'>, day: string, stageId: string, side: Actor) => ({
  org: record.org,
  serviceId: record.serviceId,
  day,
  stageId,
  side,
});

export interface Submitted {
  record: CaseRecord;
  service: Service;
  stage: Stage;
  stepId: string;
  actor: Actor;
  visit: number;
  data: FormData;
  submittedAt: string;
}

/** After a submission was recorded (its STEP_SUBMITTED event written). */
export async function tallySubmission(deps: TallyDeps, s: Submitted): Promise<void> {
  try {
    const answer = s.stage.id === FEEDBACK.stageId ? s.data[FEEDBACK.field] : undefined;
    if (typeof answer === 'boolean') {
      const counts: Counters = answer ? { feedbackYes: 1 } : { feedbackNo: 1 };
      const key = keyOf(s.record, dayOf(s.submittedAt), s.stage.id, s.actor);
      const mark = { caseId: s.record.caseId, id: `feedback-${s.stepId}-${s.visit}`, ttl: s.record.ttl };
      await deps.tally.addOnce(mark, [{ key, counts }]);
    }
    await tallyStageVisit(deps, s);
  } catch (error) {
    await log('warn', 'report: a submission was not counted', { caseId: s.record.caseId, error });
  }
}

/**
 * When this submission completed its stage visit (both sides done), the visit's waiting counts. The
 * visit's events are read consistently after the submission's own event: of two last steps submitted at
 * once, the later reader sees both, and the marker lets only one of them count it. One read, whichever
 * answer this is: the events say whether the visit is complete, as they do for the case view. They are the
 * visit's alone, from its entry on (the earlier ones have no say in it), so the read does not grow with the
 * case's history. The case is the one the submission read, ACTIVE: a complete visit ends at its last answer,
 * which is among the events read, so whether the case closed since makes no difference to it.
 */
async function tallyStageVisit(deps: TallyDeps, s: Submitted): Promise<void> {
  const events = await deps.repo.getStageVisitEvents(s.record.caseId, s.stage.id, s.visit);
  const closed = { status: s.record.status, at: s.record.updatedAt };
  // Counted up to the newest event read: an answer whose event is written again later (a retry after a
  // lost write) may be older than the other side's, which ended the visit.
  const newest = Math.max(Date.parse(s.submittedAt), ...events.map((event) => Date.parse(event.at)));
  const waiting = caseWaiting(s.service, events, closed, new Date(newest));
  const visit = waiting.stages.find((v) => v.visit === s.visit && v.stageId === s.stage.id);
  if (!visit?.complete || visit.endedAt === undefined) return;
  const ended = { ...visit, endedAt: visit.endedAt };
  const mark = { caseId: s.record.caseId, id: `visit-${visit.stageId}-${visit.visit}`, ttl: s.record.ttl };
  await deps.tally.addOnce(mark, visitAdditions(s.record, ended));
}

/** What a complete stage visit adds: per side one visit, its waiting and its histogram bucket. */
export function visitAdditions(
  record: Pick<CaseRecord, 'org' | 'serviceId'>,
  visit: StageWaiting & { endedAt: string },
): Addition[] {
  const day = dayOf(visit.endedAt);
  const side = (actor: Actor, waited: number): Addition => ({
    key: keyOf(record, day, visit.stageId, actor),
    counts: { visits: 1, waited, shared: visit.shared, [`h${bucketOf(waited)}`]: 1 },
  });
  return [side('citizen', visit.citizenOnProvider), side('provider', visit.providerOnCitizen)];
}

export interface Noticed {
  record: CaseRecord;
  stageId: string;
  actor: Actor;
  notice: 'reminder' | 'escalation';
  /** The wait segment's key (open-step.ts), unique per reminder or escalation. */
  segment: string;
  at: string;
}

/** A reminder sent, or a step past its due date (escalated), for the step's side. */
export async function tallyNotice(tally: ReportTally, n: Noticed): Promise<void> {
  const counts: Counters = n.notice === 'reminder' ? { reminders: 1 } : { overdue: 1 };
  try {
    const mark = { caseId: n.record.caseId, id: `${n.segment}-${n.at}`, ttl: n.record.ttl };
    await tally.addOnce(mark, [{ key: keyOf(n.record, dayOf(n.at), n.stageId, n.actor), counts }]);
  } catch (error) {
    await log('warn', 'report: a notice was not counted', { caseId: n.record.caseId, error });
  }
}
