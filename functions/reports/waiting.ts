import type { Service } from '../../workflows/schema';
import type { Actor, CaseEvent, CaseStatus } from '../domain/model';

// Who waits on whom: the one rule, used by the case view (per case) and by the running aggregates of
// the service report, so that both always tell the same story.
//
// Per stage visit, from its entry t0: while BOTH partners still have open steps in the stage, the time
// is shared (each is busy with their own part). Once one side has done all of its steps of the stage
// and the other has not, the time from then on is that side waiting on the other: the stage can only
// move on when both have done their part, so the side that is done is held up by the side that is not.
// A side without steps in the stage has nothing to do there and is done at t0 (the municipality waits
// on the household to put the bin out). A visit ends when both sides are done, when the case enters
// another stage (a back-jump, an expiry...) or closes; a visit still running counts up to now.

const SIDES = ['citizen', 'provider'] as const;

/** One stage visit as the rule needs it: when it started and when each side finished (if it did). */
export interface VisitTimes {
  /** Stage entry, ms since the epoch. */
  enteredAt: number;
  /** When the visit stopped counting (both done, another stage entered, the case closed, or now). */
  endedAt: number;
  /** When each side had done all its steps of the stage; absent while a step of the side is open. */
  done: Partial<Record<Actor, number>>;
}

export interface Waited {
  citizenOnProvider: number;
  providerOnCitizen: number;
  shared: number;
}

/** The rule itself, in seconds (whole, rounded down per part). */
export function waitedIn(visit: VisitTimes): Waited {
  const { enteredAt: t0, endedAt: end } = visit;
  const clip = (t: number | undefined) => Math.min(Math.max(t ?? end, t0), end);
  const citizen = clip(visit.done.citizen);
  const provider = clip(visit.done.provider);
  const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));
  const firstDone = Math.min(citizen, provider);
  return {
    shared: seconds(firstDone - t0),
    // The citizen finished first and the provider had not: the citizen waited on the provider.
    citizenOnProvider: citizen < provider ? seconds(provider - citizen) : 0,
    providerOnCitizen: provider < citizen ? seconds(citizen - provider) : 0,
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
      ...waitedIn({ enteredAt: v.enteredAt, endedAt, done }),
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
function doneTimes(
  visit: OpenVisit,
  steps: readonly { id: string; actor: Actor }[],
): Partial<Record<Actor, number>> {
  const done: Partial<Record<Actor, number>> = {};
  for (const side of SIDES) {
    const own = steps.filter((s) => s.actor === side);
    const times = own.map((s) => visit.submitted.get(s.id));
    if (times.every((t) => t !== undefined)) done[side] = Math.max(visit.enteredAt, ...(times as number[]));
  }
  return done;
}
