/**
 * The hand-minimal state machine for a service's two-sided process, the yardstick of `bench:cost`:
 *
 * - per stage one bookkeeping write, then the Parallel with one branch per step (kept: it is what
 *   makes both partners' steps visible at once), each branch one callback task per wait segment
 *   (invite, reminders, escalation; a segment's timeout opens the next);
 * - after a stage with backTo rules, the Choice that sends the case back (the process decides there);
 * - at the end one write (completed, or expired when a step ran out).
 *
 * It is run on the project's engine (in memory, its own clock) with the same answers as the real
 * machine, and its StateEntered events counted the same way.
 */

import { waitSegments } from '../lib/constructs/workflow/segments';
import { Engine } from '../local/sfn/index';
import type { Service, Stage, Step } from '../workflows/schema';
import { answerFor, type Pace, waitBeforeAnswers } from './cost-scenario';

type State = Record<string, unknown>;
const WRITE = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: {} };

function branch(step: Step): { StartAt: string; States: Record<string, State> } {
  const segments = waitSegments(step);
  const name = (i: number) => `${step.id} ${i}`;
  const states: Record<string, State> = { [`${step.id} expired`]: { Type: 'Fail', Error: 'Case.Expired' } };
  segments.forEach((segment, i) => {
    states[name(i)] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'step', Payload: { stepId: step.id, 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: segment.seconds,
      Catch: [
        {
          ErrorEquals: ['States.Timeout'],
          ResultPath: null,
          Next: i + 1 < segments.length ? name(i + 1) : `${step.id} expired`,
        },
      ],
      End: true,
    };
  });
  return { StartAt: name(0), States: states };
}

function backToChoices(stage: Stage): State[] {
  return stage.steps.flatMap((step, i) => {
    if (!step.backTo) return [];
    const variable = `$.last[${i}].data.${step.backTo.when.field}`;
    const equals = step.backTo.when.equals;
    const test =
      typeof equals === 'string'
        ? { StringEquals: equals }
        : typeof equals === 'boolean'
          ? { BooleanEquals: equals }
          : { NumericEquals: equals };
    return [
      {
        And: [
          { Variable: variable, IsPresent: true },
          { Variable: variable, ...test },
        ],
        Next: `Enter ${step.backTo.stage}`,
      },
    ];
  });
}

export function minimalDefinition(service: Service): { StartAt: string; States: Record<string, State> } {
  const states: Record<string, State> = {
    Complete: { ...WRITE, End: true },
    Expire: { ...WRITE, End: true },
  };
  service.stages.forEach((stage, i) => {
    const next = service.stages[i + 1] ? `Enter ${service.stages[i + 1]?.id}` : 'Complete';
    const choices = backToChoices(stage);
    states[`Enter ${stage.id}`] = { ...WRITE, ResultPath: null, Next: `Stage ${stage.id}` };
    states[`Stage ${stage.id}`] = {
      Type: 'Parallel',
      Branches: stage.steps.map(branch),
      ResultPath: '$.last',
      Catch: [{ ErrorEquals: ['Case.Expired'], Next: 'Expire' }],
      Next: choices.length ? `After ${stage.id}` : next,
    };
    if (choices.length) states[`After ${stage.id}`] = { Type: 'Choice', Choices: choices, Default: next };
  });
  return { StartAt: `Enter ${service.stages[0]?.id}`, States: states };
}

const turn = () => new Promise((r) => setImmediate(r));

/**
 * Moves the clock on timer by timer (as the runtime's advance does), so that a segment opened by
 * the previous one's timeout starts at that moment of engine time, not at the end of the jump.
 */
async function advance(engine: Engine, seconds: number): Promise<void> {
  const target = engine.now() + seconds * 1000;
  for (let next = engine.nextTimer(); next !== undefined && next <= target; next = engine.nextTimer()) {
    await engine.advance(Math.max(0, next - engine.now()) / 1000);
    for (let i = 0; i < 20; i++) await turn();
  }
  await engine.advance(Math.max(0, target - engine.now()) / 1000);
}

/** Runs one case of the minimal machine with the scenario's answers; returns its StateEntered count. */
export async function minimalTransitions(service: Service, pace: Pace): Promise<number> {
  const tokens = new Map<string, { token: string; opened: number }>();
  const engine = new Engine({
    resolvers: [(r) => (r.startsWith('arn:aws:states:::dynamodb:') ? async () => ({}) : undefined)],
    invoke: async (_fn, payload) => {
      const { stepId, token } = payload as { stepId: string; token: string };
      tokens.set(stepId, { token, opened: (tokens.get(stepId)?.opened ?? 0) + 1 });
      return {};
    },
  });
  try {
    const { stateMachineArn } = await engine.createStateMachine({
      name: `minimal-${service.id}`,
      definition: JSON.stringify(minimalDefinition(service)),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    const arn = executionArn as string;
    for (const stage of service.stages) {
      const opened = (step: Step, segments: number) => (tokens.get(step.id)?.opened ?? 0) >= segments;
      const until = async (ready: () => boolean) => {
        for (let i = 0; i < 10_000 && !ready(); i++) await turn();
        if (!ready()) throw new Error(`minimal ${service.id}: stage ${stage.id} did not open`);
      };
      await until(() => stage.steps.every((s) => opened(s, 1)));
      const wait = waitBeforeAnswers(stage, pace);
      if (wait > 0) {
        await advance(engine, wait);
        await until(() => stage.steps.every((s) => opened(s, waitSegments(s).length)));
      }
      for (const step of stage.steps) {
        const output = { stepId: step.id, data: answerFor(step) };
        await engine.sendTaskSuccess({
          taskToken: tokens.get(step.id)?.token,
          output: JSON.stringify(output),
        });
      }
      // Step ids are unique in a service: the next stage's invites never touch these entries.
      for (const step of stage.steps) tokens.delete(step.id);
    }
    const done = await engine.waitForExecution(arn);
    if (done.status !== 'SUCCEEDED') throw new Error(`minimal ${service.id}: ${done.status} ${done.error}`);
    return countEntered(engine, arn);
  } finally {
    await engine.close();
  }
}

/** StateEntered events of an execution (what Step Functions bills as state transitions). */
export function countEntered(engine: Engine, executionArn: string): number {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = engine.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    count += (page.events ?? []).filter((e) => String(e.type).endsWith('StateEntered')).length;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}
