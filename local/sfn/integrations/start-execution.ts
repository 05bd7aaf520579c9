/**
 * The built-in Step Functions integration, arn:aws:states:::states:startExecution: a Task starts
 * an execution of another state machine on the same engine. API errors come back as the errors
 * AWS's integration reports (`StepFunctions.<Code>Exception`).
 */
import type * as Sfn from '@aws-sdk/client-sfn';
import { SfnApiError } from '../api/api-errors';
import type { Json } from '../language/json';
import { asStatesError, StatesError } from '../language/states-errors';
import type { TaskResolver } from './task-resources';

export const START_EXECUTION = 'arn:aws:states:::states:startExecution';

export function startExecutionResolver(
  start: (input: Sfn.StartExecutionInput) => Promise<Sfn.StartExecutionOutput>,
): TaskResolver {
  return (resource) => {
    if (resource !== START_EXECUTION) return undefined;
    return async ({ parameters }) => {
      const p = (parameters ?? {}) as Record<string, Json>;
      const input = p.Input;
      try {
        const r = await start({
          stateMachineArn: String(p.StateMachineArn),
          name: typeof p.Name === 'string' ? p.Name : undefined,
          input: typeof input === 'string' ? input : JSON.stringify(input ?? {}),
        });
        return { ExecutionArn: r.executionArn ?? '', StartDate: (r.startDate as Date).toISOString() };
      } catch (e) {
        if (e instanceof SfnApiError) {
          const name = e.code.endsWith('Exception') ? e.code : `${e.code}Exception`;
          throw new StatesError(`StepFunctions.${name}`, e.message);
        }
        throw asStatesError(e);
      }
    };
  };
}
