/** Shared set-up for the redrive tests: scripted Lambda functions and a few engine shortcuts. */
import type * as Sfn from '@aws-sdk/client-sfn';
import type { Engine } from '../../../local/sfn/api/engine';
import type { Json } from '../../../local/sfn/language/json';

/** What each (fake) Lambda function does with its payload; throw to fail it. */
export type Script = Record<string, (payload: Json) => Json | Promise<Json>>;

/** A lambda:invoke Task whose output is the function's result. */
export const lambda = (functionName: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: functionName, 'Payload.$': '$' },
  OutputPath: '$.Payload',
});

let machines = 0;

export function scripted(script: Script) {
  const calls: Record<string, number> = {};
  const seenTokens: string[] = [];
  const invoke = async (functionName: string, payload: Json): Promise<Json> => {
    calls[functionName] = (calls[functionName] ?? 0) + 1;
    const token = (payload as { token?: unknown } | null)?.token;
    if (typeof token === 'string') seenTokens.push(token);
    const behaviour = script[functionName];
    if (!behaviour) throw new Error(`no script for ${functionName}`);
    return behaviour(payload);
  };

  const bind = (engine: Engine) => {
    /** Waits until the execution is no longer RUNNING, moving the clock to each timer on the way. */
    const finish = async (arn: string): Promise<Sfn.DescribeExecutionOutput> => {
      let done = false;
      const result = engine.waitForExecution(arn).then((d) => {
        done = true;
        return d;
      });
      for (let i = 0; i < 500 && !done; i++) {
        await new Promise((r) => setImmediate(r));
        const due = engine.nextTimer();
        if (!done && due !== undefined) await engine.advance(Math.max(0, (due - engine.now()) / 1000));
      }
      return result;
    };
    return {
      finish,
      run: async (definition: unknown, input: unknown = {}): Promise<string> => {
        const { stateMachineArn } = await engine.createStateMachine({
          name: `redrive-${++machines}`,
          definition: JSON.stringify(definition),
        });
        const { executionArn } = await engine.startExecution({
          stateMachineArn,
          input: JSON.stringify(input),
        });
        return executionArn as string;
      },
      /** Redrives, then (unless `wait` is false) waits for the execution to stop again. */
      redrive: async (arn: string, wait = true): Promise<Sfn.DescribeExecutionOutput> => {
        await engine.redriveExecution({ executionArn: arn });
        if (!wait) {
          await new Promise((r) => setImmediate(r));
          return engine.describeExecution({ executionArn: arn });
        }
        return finish(arn);
      },
      /** How often the state named `name` was entered. */
      entered: (arn: string, name: string): number =>
        (engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 }).events ?? []).filter(
          (e) => e.stateEnteredEventDetails?.name === name,
        ).length,
    };
  };
  return { calls, invoke, tokens: () => seenTokens, bind };
}
