import { durationSeconds } from '../../../workflows/duration';
import type { Service, Stage, Step } from '../../../workflows/schema';
import { stageChains } from '../../../workflows/stage-order';
import { CASE_BACKOFF, retryDelaySeconds } from './retry';
import { waitSegments } from './segments';

// Continue-as-new, the arithmetic. A Standard execution stops at one year and at 25,000 history
// events. The machine cannot see its own clock or history, so every stage entry adds an upper bound
// of what the stage visit can use (time and events) to the case item, and before a back-jump the
// machine checks that the way from the target stage to the end still fits; if it might not, the
// case continues in a new execution. These are the bounds, worst cases of what AWS records.

export interface Cost {
  readonly seconds: number;
  readonly events: number;
}
export type ExecutionLimits = Cost;

const DAY = 86_400;

/** Step Functions' hard limits of a Standard execution (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
export const AWS_LIMITS: ExecutionLimits = { seconds: 365 * DAY, events: 25_000 };

/** Where the machines stop short of them: five days and 5,000 events of margin. */
export const DEFAULT_LIMITS: ExecutionLimits = { seconds: 360 * DAY, events: 20_000 };

/** One attempt of a task, at most: Lambda's longest timeout (a DynamoDB call or StartExecution is far quicker). */
const ATTEMPT_SECONDS = 900;

const add = (a: Cost, b: Cost): Cost => ({ seconds: a.seconds + b.seconds, events: a.events + b.events });
const ZERO: Cost = { seconds: 0, events: 0 };

/**
 * A task state with the case retry policy: StateEntered and StateExited, and per attempt
 * Scheduled, Started, Submitted and its outcome; every attempt may run the longest a Lambda can,
 * with the longest backoff between them; a callback task then waits `waitSeconds` (its timeout).
 */
export function taskCost(waitSeconds = 0): Cost {
  const attempts = 1 + CASE_BACKOFF.maxAttempts;
  return {
    events: 2 + 4 * attempts,
    seconds: waitSeconds + retryDelaySeconds(CASE_BACKOFF) + attempts * ATTEMPT_SECONDS,
  };
}

/** A Choice, Pass, Succeed or Fail state: entered and exited, no time. */
export const FLOW_STATE: Cost = { seconds: 0, events: 2 };
/** A Parallel state's own events (entered, started, succeeded or failed, exited); its branches come on top. */
const PARALLEL: Cost = { seconds: 0, events: 4 };

/**
 * One visit of a stage: the entry write, the Parallel with every branch waiting through all its
 * segments to its expiry (the branches run side by side: time is the longest one's, events add
 * up; a branch's steps, workflows/stage-order.ts, wait one after another, so both add up in it),
 * and the Choice after the stage when it has one.
 */
export function stageCost(stage: Stage, choiceAfter: boolean): Cost {
  const stepCost = (step: Step) =>
    waitSegments(step)
      .map((segment) => taskCost(segment.seconds))
      .reduce(add, add(FLOW_STATE /* the step's Fail state on expiry */, retimeCost(step)));
  const branches = stageChains(stage.steps).map((chain) => chain.map(stepCost).reduce(add, ZERO));
  const events = branches.reduce((n, b) => n + b.events, 0);
  const seconds = Math.max(...branches.map((b) => b.seconds));
  return [taskCost(), PARALLEL, { seconds, events }, choiceAfter ? FLOW_STATE : ZERO].reduce(add, ZERO);
}

/**
 * What the re-time loop (retime-loop.ts) can add to a step that takes proposals. Time: its expiry moves
 * by at most the maximum shift, plus the tasks' own attempts. Passes through the loop (re-time task,
 * Choice, re-armed wait): one per accepted proposal (at most `perSide` per side), one more per
 * proposal when its answer races a wait's start (open-step re-times that wait), and one per segment
 * boundary the re-armed waits cross.
 */
export function retimeCost(step: Step): Cost {
  const limits = step.proposals;
  if (!limits) return ZERO;
  const accepted = 2 * limits.perSide;
  const passes = 2 * accepted + waitSegments(step).length;
  const pass = [taskCost(), FLOW_STATE, taskCost()].reduce(add, ZERO);
  return {
    seconds: durationSeconds(limits.maxShift ?? step.expiry) + passes * pass.seconds,
    events: passes * pass.events,
  };
}

/** Once per execution: ExecutionStarted, its end event, and the Choice that routes on resumeAt. */
export const EXECUTION_COST: Cost = add({ seconds: 0, events: 2 }, FLOW_STATE);

/**
 * The longest way out after the last stage, or out of a back-jump's Choice: a continuation (four
 * tasks) or an end (a Choice, two tasks), either with a quiet Succeed.
 */
export const END_COST: Cost = [taskCost(), taskCost(), taskCost(), taskCost(), FLOW_STATE, FLOW_STATE].reduce(
  add,
  ZERO,
);

export interface StageBudget {
  readonly stageId: string;
  /** Added to the case's budget when the stage is entered. */
  readonly visit: Cost;
  /** From this stage's entry to the end of the execution, passing no back-jump. */
  readonly forward: Cost;
}

/** The budgets of a service's stages; `choiceAfter(i)` says whether stage i is followed by a Choice. */
export function stageBudgets(service: Service, choiceAfter: (index: number) => boolean): StageBudget[] {
  const visits = service.stages.map((stage, i) => stageCost(stage, choiceAfter(i)));
  return service.stages.map((stage, i) => ({
    stageId: stage.id,
    visit: visits[i] ?? ZERO,
    forward: visits.slice(i).reduce(add, END_COST),
  }));
}

/**
 * The largest budget an execution may have used when it jumps back to a stage and goes on in
 * place: beyond it, the way from that stage to the end might cross the limits.
 */
export function backJumpThreshold(target: StageBudget, limits: ExecutionLimits): Cost {
  return {
    seconds: limits.seconds - EXECUTION_COST.seconds - target.forward.seconds,
    events: limits.events - EXECUTION_COST.events - target.forward.events,
  };
}

/** Fails the synth when one pass from `target` to the end cannot fit one execution. */
export function checkFits(serviceId: string, target: StageBudget, limits: ExecutionLimits): void {
  const { seconds, events } = backJumpThreshold(target, limits);
  if (seconds < 0 || events < 0) {
    throw new Error(
      `${serviceId}: from stage '${target.stageId}' to the end a case may take up to ` +
        `${Math.ceil(target.forward.seconds / DAY)} days and ${target.forward.events} history events, ` +
        `more than one execution allows (${limits.seconds / DAY} days, ${limits.events} events)`,
    );
  }
}
