/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: the answers to a task token
 * (durability/task-tokens.ts), with the errors AWS gives for a token that is malformed, unknown,
 * or belongs to a task that is over.
 */
import type * as Sfn from '@aws-sdk/client-sfn';
import { decodeToken } from '../durability/task-tokens';
import type { Execution, Thread } from '../interpreter/execution';
import { taskFailed, taskSucceeded } from '../interpreter/task-outcome';
import type { Json } from '../language/json';
import { StatesError } from '../language/states-errors';
import type { EngineCore } from '../scheduler/engine-core';
import { checkPayloadText, SfnApiError } from './api-errors';

/** The waiting task of a token, or the error AWS gives for it. */
function taskOf(core: EngineCore, token: unknown): { execution: Execution; thread: Thread } {
  if (typeof token !== 'string' || token.length < 1 || token.length > 1024) {
    throw new SfnApiError('ValidationException', 'taskToken must be between 1 and 1024 characters');
  }
  const decoded = decodeToken(token);
  if (decoded === null) throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  const execution = core.store.execution(decoded.executionKey);
  if (!execution) {
    throw new SfnApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
  }
  const thread = execution.threads.get(decoded.threadId);
  if (execution.running && thread?.phase === 'task' && thread.taskToken === token)
    return { execution, thread };
  throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
}

export async function sendTaskSuccess(
  core: EngineCore,
  input: Sfn.SendTaskSuccessInput,
): Promise<Sfn.SendTaskSuccessOutput> {
  checkPayloadText(input.output ?? '', 'output');
  const { execution, thread } = taskOf(core, input.taskToken);
  let output: Json;
  try {
    output = JSON.parse(input.output ?? '') as Json;
  } catch {
    throw new SfnApiError('InvalidOutput', `Invalid Output: '${input.output}'`);
  }
  taskSucceeded(core.interpreter, execution, thread, thread.attempt, output);
  await core.settle();
  return {};
}

export async function sendTaskFailure(
  core: EngineCore,
  input: Sfn.SendTaskFailureInput,
): Promise<Sfn.SendTaskFailureOutput> {
  const { execution, thread } = taskOf(core, input.taskToken);
  taskFailed(
    core.interpreter,
    execution,
    thread,
    thread.attempt,
    new StatesError(input.error ?? '', input.cause ?? ''),
  );
  await core.settle();
  return {};
}

export async function sendTaskHeartbeat(
  core: EngineCore,
  input: Sfn.SendTaskHeartbeatInput,
): Promise<Sfn.SendTaskHeartbeatOutput> {
  const { execution, thread } = taskOf(core, input.taskToken);
  if (thread.heartbeatSeconds !== undefined) {
    thread.heartbeatAt = core.now() + thread.heartbeatSeconds * 1000;
    core.store.touchThread(execution, thread);
    core.timers.add(thread.heartbeatAt, thread.id);
    await core.settle();
  }
  return {};
}
