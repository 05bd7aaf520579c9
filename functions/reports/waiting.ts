import type { Service, Step } from '../../workflows/schema';
import { stageChains } from '../../workflows/stage-order';
import type { Actor, CaseEvent, CaseStatus } from '../domain/model';

// Who waits on whom: the one rule, used by the case view (per case) and by the running aggregates of
// the service report, so that both always tell the same story.
//
// Per stage visit, from its entry t0, a side is busy while one of its steps of the stage is open. A step
// opens at t0 or, when it follows another (`after`, workflows/stage-order.ts), once that one is submitted
// in this visit (never, while it is not: the patient cannot accept a care plan nobody has written yet);
// it closes at its own submission. While both sides are busy, the time is shared (each is busy with their
// own part). While only one is, the other waits on it: the stage moves on only when both have done their
// part, so the side with nothing open (done, or its next step waiting for the other's answer) is held up
// by the side that has. A side without steps in the stage is never busy (the municipality waits on the
// household to put the bin out). Until both are done, some step is open: each chain's first unsubmitted
// one. Without `after`, this is shared time until one side is done, then that side waiting on the other.
// A visit ends when both sides are done (all their steps submitted), when the case enters another stage
// (a back-jump, an expiry...) or closes; a visit still running counts up to now.

const SIDES = ['citizen', 'provider'] as const;

/** A stretch of time in ms since the epoch, from `from` up to `to`. */
export interface Span {
  from: number;
  to: number;
}

/** One stage visit as the rule needs it: when it started and when each side finished (if it did). */
export interface VisitTimes {
  /** Stage entry, ms since the epoch. */
  enteredAt: number;
  /** When the visit stopped counting (both done, another stage entered, the case closed, or now). */
  endedAt: number;
  /** When each side had done all its steps of the stage; absent while a step of the side is open. */
  done: Partial<Record<Actor, number>>;
  /** When each side had a step of the stage open (never, if left out); without it, from entry to done. */
  busy?: Partial<Record<Actor, readonly Span[]>>;
}

export interface Waited {
  citizenOnProvider: number;
  providerOnCitizen: number;
  shared: number;
}

/** The rule itself, in seconds (whole, rounded down per part). */
export function waitedIn(visit: VisitTimes): Waited {
  const t0 = visit.enteredAt;
  const end = Math.max(visit.endedAt, t0);
  const spans = (side: Actor): readonly Span[] =>
    visit.busy ? (visit.busy[side] ?? []) : [{ from: t0, to: visit.done[side] ?? end }];
  const [citizen, provider] = [spans('citizen'), spans('provider')];
  const busyAt = (own: readonly Span[], t: number) => own.some((s) => s.from <= t && t < s.to);
  // Between two consecutive moments a step of the visit opens or closes, who is busy does not change.
  const clip = (t: number) => Math.min(Math.max(t, t0), end);
  const edges = [...citizen, ...provider].flatMap((s) => [s.from, s.to]);
  const moments = [...new Set([t0, end, ...edges].map(clip))].sort((a, b) => a - b);
  const ms = { shared: 0, citizenOnProvider: 0, providerOnCitizen: 0 };
  moments.forEach((from, i) => {
    const length = (moments[i + 1] ?? from) - from;
    const [byCitizen, byProvider] = [busyAt(citizen, from), busyAt(provider, from)];
    if (byCitizen && byProvider) ms.shared += length;
    // Only the provider has a step open: the citizen waits on the provider.
    else if (byProvider) ms.citizenOnProvider += length;
    else if (byCitizen) ms.providerOnCitizen += length;
  });
  const seconds = (total: number) => Math.floor(total / 1000);
  return {
    shared: seconds(ms.shared),
    citizenOnProvider: seconds(ms.citizenOnProvider),
    providerOnCitizen: seconds(ms.providerOnCitizen),
  };
}

export interface StageWaiting extends Waited {
  stageId: string;
  visit: number;
  enteredAt: string;
  /** Absent while the visit runs (it then counts up to now). */
  endedAt?: string;
  /** Both sides did all their steps of the visit (rather than the case moving on or closing). */
  complete: boolean;
}

export interface CaseWaiting extends Waited {
  stages: StageWaiting[];
}

interface OpenVisit {
  stageId: string;
  visit: number;
  enteredAt: number;
  /** Per step of the stage: when its submission of this visit was recorded. */
  submitted: Map<string, number>;
}

/** The stage visits of a case, from its events (STAGE_ENTERED, STEP_SUBMITTED) and its status. */
export function caseWaiting(
  service: Service,
  events: readonly Pick<CaseEvent, 'at' | 'type' | 'actor' | 'stepId' | 'detail'>[],
  closed: { status: CaseStatus; at: string },
  now: Date,
): CaseWaiting {
  const stepsOf = new Map(service.stages.map((s) => [s.id, s.steps]));
  const visits: OpenVisit[] = [];
  for (const event of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    const visit = Number(event.detail?.visit);
    if (event.type === 'STAGE_ENTERED') {
      const stageId = String(event.detail?.stageId ?? '');
      // Every step of a stage logs its entry under one key; a copy of it changes nothing.
      if (!stepsOf.has(stageId) || visits.some((v) => v.visit === visit && v.stageId === stageId)) continue;
      visits.push({ stageId, visit, enteredAt: Date.parse(event.at), submitted: new Map() });
    } else if (event.type === 'STEP_SUBMITTED' && event.stepId !== undefined) {
      const open = visits.find((v) => v.visit === visit);
      if (open && !open.submitted.has(event.stepId)) open.submitted.set(event.stepId, Date.parse(event.at));
    }
  }
  visits.sort((a, b) => a.enteredAt - b.enteredAt || a.visit - b.visit);
  const running = closed.status === 'ACTIVE' || closed.status === 'FAILED';
  const stop = running ? now.getTime() : Date.parse(closed.at);
  const stages = visits.map((v, i): StageWaiting => {
    const steps = stepsOf.get(v.stageId) ?? [];
    const done = doneTimes(v, steps);
    const bothDone = SIDES.every((side) => done[side] !== undefined);
    const next = visits[i + 1]?.enteredAt;
    const finish = bothDone ? Math.max(done.citizen as number, done.provider as number) : undefined;
    const endedAt = Math.min(finish ?? Number.POSITIVE_INFINITY, next ?? Number.POSITIVE_INFINITY, stop);
    const ended = finish !== undefined || next !== undefined || !running;
    return {
      stageId: v.stageId,
      visit: v.visit,
      enteredAt: new Date(v.enteredAt).toISOString(),
      ...(ended && { endedAt: new Date(endedAt).toISOString() }),
      complete: bothDone,
      ...waitedIn({ enteredAt: v.enteredAt, endedAt, done, busy: busySpans(v, steps, endedAt) }),
    };
  });
  const sum = (key: keyof Waited) => stages.reduce((total, s) => total + s[key], 0);
  return {
    citizenOnProvider: sum('citizenOnProvider'),
    providerOnCitizen: sum('providerOnCitizen'),
    shared: sum('shared'),
    stages,
  };
}

/** When each side had submitted all its steps of the visit (t0 for a side without steps). */
function doneTimes(visit: OpenVisit, steps: readonly Step[]): Partial<Record<Actor, number>> {
  const done: Partial<Record<Actor, number>> = {};
  for (const side of SIDES) {
    const own = steps.filter((s) => s.actor === side);
    const times = own.map((s) => visit.submitted.get(s.id));
    if (times.every((t) => t !== undefined)) done[side] = Math.max(visit.enteredAt, ...(times as number[]));
  }
  return done;
}

/** When each side had a step of the visit open: along each chain, a step opens as the one before closes. */
function busySpans(visit: OpenVisit, steps: readonly Step[], end: number): Record<Actor, Span[]> {
  const busy: Record<Actor, Span[]> = { citizen: [], provider: [] };
  for (const chain of stageChains(steps)) {
    let opened: number | undefined = visit.enteredAt;
    for (const step of chain) {
      if (opened === undefined) break;
      const submitted = visit.submitted.get(step.id);
      busy[step.actor].push({ from: opened, to: submitted ?? end });
      opened = submitted;
    }
  }
  return busy;
}
