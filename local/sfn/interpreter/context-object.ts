/**
 * The context object (`$$`): what a path or template may read about the execution, the state
 * and the task (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 * Built only when a path asks for it.
 */
import type { Json, JsonObject } from '../language/json';
import type { Execution, Thread } from './execution';

const iso = (ms: number) => new Date(ms).toISOString();

export function contextObject(execution: Execution, thread: Thread, extra?: JsonObject): Json {
  const { record, machine } = execution;
  return {
    Execution: {
      Id: record.arn,
      Input: execution.inputValue,
      Name: record.name,
      RoleArn: machine.roleArn,
      StartTime: iso(record.startDate),
      RedriveCount: record.redriveCount ?? 0,
      // "RedriveTime is only available if you've redriven an execution" (Context object doc).
      ...(record.redriveDate !== undefined ? { RedriveTime: iso(record.redriveDate) } : {}),
    },
    State: { EnteredTime: iso(thread.enteredAt), Name: thread.state, RetryCount: thread.retryCount },
    StateMachine: { Id: machine.arn, Name: machine.name },
    ...(thread.taskToken ? { Task: { Token: thread.taskToken } } : {}),
    ...extra,
  };
}
