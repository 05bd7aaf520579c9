import { describe, expect, it } from 'vitest';
import { services } from '../../../../workflows/catalog';
import { durationSeconds } from '../../../../workflows/duration';
import type { Service, Step } from '../../../../workflows/schema';
import type { Asl } from '../../support';
import { compileService, type State } from './compile';
import { threeStageService } from './services';

// The proof that no execution of a service machine can cross Step Functions' limits of a Standard
// execution (one year, 25,000 history events), worked out from the compiled definitions alone
// (not from the compiler's own arithmetic), for the three services:
//
// 1. each stage entry adds to the budget at least what the stage visit can use: the entry write,
//    the Parallel with every branch through all its wait segments, the Choice after it;
// 2. from every state an execution can start in, the longest way to its end or to a back-jump fits;
// 3. every back-jump that goes on in place is guarded by the rule before it, which continues in a
//    new execution once the budget passes a threshold, and threshold + the longest way from the
//    target stage to its end or next back-jump fits.
// So between two checks (and from the start to the first) an execution stays under both limits.
//
// A step that takes proposals has a loop in its branch: 'Step <id> retime' -> Choice -> re-armed wait
// -> back (retime-loop.ts). The loop's bound is not in the definition's states but in the domain's
// rules: at most `perSide` proposals per side are accepted per visit (each one Step.Retimed), each may
// race one wait's start (open-step re-times it once more), and the re-armed waits cross each segment
// boundary once; all their waiting ends at the shifted expiry, at most `maxShift` (default the expiry
// period) after the planned one. So the branch costs its longest way without the loop plus that many
// passes, and `maxShift` more time.

const DAY = 86_400;
const AWS = { seconds: 365 * DAY, events: 25_000 };
/** The longest one attempt of a task may run: Lambda's maximum timeout. */
const ATTEMPT_SECONDS = 900;
/** ExecutionStarted and the execution's closing event. */
const EXECUTION_EVENTS = 2;

interface Cost {
  seconds: number;
  events: number;
}
const max = (a: Cost, b: Cost): Cost => ({
  seconds: Math.max(a.seconds, b.seconds),
  events: Math.max(a.events, b.events),
});
const add = (a: Cost, b: Cost): Cost => ({ seconds: a.seconds + b.seconds, events: a.events + b.events });

/** A state's worst case as AWS records it: events in the history, wall time. */
function stateCost(s: State): Cost {
  if (s.Type === 'Task') {
    let retries = 0;
    let delay = 0;
    for (const r of s.Retry ?? []) {
      const attempts = r.MaxAttempts ?? 3;
      retries += attempts;
      for (let k = 0; k < attempts; k++)
        delay += Math.min(
          (r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** k,
          r.MaxDelaySeconds ?? Infinity,
        );
    }
    const tries = 1 + retries;
    // Entered, Exited; per try Scheduled, Started, Submitted and its outcome.
    return { events: 2 + 4 * tries, seconds: (s.TimeoutSeconds ?? 0) + delay + tries * ATTEMPT_SECONDS };
  }
  if (s.Type === 'Parallel') {
    const branches = (s.Branches ?? []).map((b) =>
      add(
        longest(b, b.StartAt, (_, to) => RETIME.test(to)),
        retimeLoop(b),
      ),
    );
    return {
      events: 4 + branches.reduce((n, b) => n + b.events, 0), // Entered, Started, Succeeded|Failed, Exited
      seconds: Math.max(...branches.map((b) => b.seconds)),
    };
  }
  return { events: 2, seconds: 0 };
}

const RETIME = /^Step (.+) retime$/;

/** The steps of every service, by id: where a branch's loop bound comes from (see above). */
const stepsById = new Map<string, Step>();

/** What the re-time loop of a branch can add (nothing for a branch without one). */
function retimeLoop(branch: Pick<Asl, 'States'>): Cost {
  const head = Object.keys(branch.States).find((name) => RETIME.test(name));
  if (!head) return { seconds: 0, events: 0 };
  const step = stepsById.get(RETIME.exec(head)?.[1] ?? '');
  if (!step?.proposals) throw new Error(`${head}: a loop on a step that takes no proposals`);
  const passes = 2 * (2 * step.proposals.perSide) + step.reminders.length + 2;
  const retime = branch.States[head] as State;
  const choice = branch.States[retime.Next as string] as State;
  const rearmed = branch.States[choice.Default as string] as State;
  expect(rearmed.TimeoutSecondsPath, head).toBe('$.retime.seconds');
  const pass = [retime, choice, rearmed].map(stateCost).reduce(add);
  const shift = durationSeconds(step.proposals.maxShift ?? step.expiry);
  return { seconds: shift + passes * pass.seconds, events: passes * pass.events };
}

function successors(s: State): string[] {
  return [
    s.Next,
    s.Default,
    ...(s.Choices ?? []).map((c) => c.Next as string),
    ...(s.Catch ?? []).map((c) => c.Next),
  ].filter((n): n is string => typeof n === 'string');
}

/** The costliest way from `from` to an end, not following the edges `cut` says are checks. */
function longest(graph: Pick<Asl, 'States'>, from: string, cut: (a: string, b: string) => boolean): Cost {
  const memo = new Map<string, Cost>();
  const visiting = new Set<string>();
  const walk = (name: string): Cost => {
    const known = memo.get(name);
    if (known) return known;
    if (visiting.has(name)) throw new Error(`a loop through '${name}' passes no check`);
    visiting.add(name);
    const s = graph.States[name] as State;
    const next = successors(s)
      .filter((n) => !cut(name, n))
      .map(walk)
      .reduce(max, { seconds: 0, events: 0 });
    visiting.delete(name);
    const cost = add(stateCost(s), next);
    memo.set(name, cost);
    return cost;
  };
  return walk(from);
}

function prove(service: Service) {
  for (const step of service.stages.flatMap((st) => st.steps)) stepsById.set(step.id, step);
  const { asl } = compileService(service);
  const order = new Map(service.stages.map((st, i) => [`Enter stage ${st.id}`, i]));
  const stageOf = (state: string) => order.get(state.replace(/^After stage /, 'Enter stage ')) ?? -1;
  // A back-jump: a stage's Choice going to the entry of the same or an earlier stage.
  const backJump = (from: string, to: string) =>
    from.startsWith('After stage ') && order.has(to) && (order.get(to) ?? 0) <= stageOf(from);
  const state = (name: string) => asl.States[name] as State;
  const fits = (cost: Cost, where: string) => {
    expect(cost.seconds, `${service.id}: ${where} (seconds)`).toBeLessThanOrEqual(AWS.seconds);
    expect(cost.events, `${service.id}: ${where} (events)`).toBeLessThanOrEqual(AWS.events);
  };

  // 1. what a stage entry adds covers the stage visit
  for (const stage of service.stages) {
    const enter = state(`Enter stage ${stage.id}`);
    const values = enter.Parameters?.ExpressionAttributeValues as Record<string, { N: string }>;
    const added = { seconds: Number(values[':seconds']?.N), events: Number(values[':events']?.N) };
    const choice = asl.States[`After stage ${stage.id}`] as State | undefined;
    const visit = [enter, state(`Stage ${stage.id}`), ...(choice ? [choice] : [])].map(stateCost).reduce(add);
    expect(added.seconds, `${service.id} ${stage.id}`).toBeGreaterThanOrEqual(visit.seconds);
    expect(added.events, `${service.id} ${stage.id}`).toBeGreaterThanOrEqual(visit.events);
  }

  // 2. every way an execution can start fits
  const first = state(asl.StartAt);
  const routing = first.Type === 'Choice';
  const overhead = { seconds: 0, events: EXECUTION_EVENTS + (routing ? 2 : 0) };
  const starts = routing ? successors(first) : [asl.StartAt];
  for (const start of starts) fits(add(overhead, longest(asl, start, backJump)), `a start at ${start}`);

  // 3. every in-place back-jump is guarded by a continuation rule, and what it allows fits
  let jumps = 0;
  for (const [name, s] of Object.entries(asl.States) as [string, State][]) {
    (s.Choices ?? []).forEach((rule, i) => {
      if (!backJump(name, rule.Next as string)) return;
      jumps++;
      const { Next, ...condition } = rule;
      const guard = s.Choices?.[i - 1] as { And: unknown[]; Next: string };
      expect(guard?.Next).toBe(`Continue at stage ${String(Next).replace('Enter stage ', '')}`);
      expect(guard.And[0]).toEqual(condition);
      const [seconds, events] = (guard.And[1] as { Or: { Variable: string; NumericGreaterThan: number }[] })
        .Or;
      expect(seconds?.Variable).toBe('$.entry.seconds');
      expect(events?.Variable).toBe('$.entry.events');
      const threshold = {
        seconds: seconds?.NumericGreaterThan ?? Infinity,
        events: events?.NumericGreaterThan ?? Infinity,
      };
      fits(add(add(overhead, threshold), longest(asl, Next as string, backJump)), `${name} back to ${Next}`);
    });
  }
  return { jumps };
}

describe('no execution can cross one year or 25,000 history events', () => {
  it.each(services.map((s) => [s.id, s] as const))('%s: every way between two checks fits', (_, service) => {
    expect(prove(service).jumps).toBeGreaterThan(0);
  });

  it('holds for a back-jump to a later stage, routed on resumeAt', () => {
    expect(prove(threeStageService()).jumps).toBe(2);
  });
});
