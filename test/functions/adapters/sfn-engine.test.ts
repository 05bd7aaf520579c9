import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionLimitExceeded,
  ExecutionNotRedrivable,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStateMachineArns } from '../../../functions/adapters/engine';
import { SfnEngine, SfnExecutions } from '../../../functions/adapters/sfn-engine';
import type { Submission } from '../../../functions/domain/model';
import { ConflictError, TokenRejectedError } from '../../../functions/shared/errors';

const sfn = mockClient(SFNClient);
const machine = 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-waste-collection';
const execution = 'arn:aws:states:eu-west-1:000000000000:execution:coproduce-waste-collection:case1';
const engine = new SfnEngine({ 'waste-collection': machine }, () => new SFNClient({}));
const input = {
  caseId: 'case1',
  serviceId: 'waste-collection',
  org: 'gm0363',
  createdAt: '2026-03-02T09:00:00.000Z',
};
const meta = { $metadata: {} };

afterEach(() => sfn.reset());

describe('SfnEngine.startCase', () => {
  it('starts an execution named after the case with the case input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
    await expect(engine.startCase('waste-collection', 'case1', input)).resolves.toBe(execution);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: 'case1',
      input: JSON.stringify(input),
    });
  });

  it('treats an existing execution with the same input as a replay', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ input: JSON.stringify({ ...input }, Object.keys(input).reverse()) });
    await expect(engine.startCase('waste-collection', 'case1', input)).resolves.toBe(execution);
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: execution });
  });

  it('refuses an existing execution with other input', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).resolves({ input: JSON.stringify({ ...input, org: 'other' }) });
    await expect(engine.startCase('waste-collection', 'case1', input)).rejects.toBeInstanceOf(ConflictError);
  });

  it('fails clearly for a service without a state machine', async () => {
    await expect(engine.startCase('nope', 'case1', input)).rejects.toThrow(/STATE_MACHINE_ARNS/);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe('SfnEngine.resumeCase (a reopened case)', () => {
  const resumed = { ...input, resumeAt: 'round', continuation: 2 };
  const arn = `${execution}-2`;

  it('starts the named execution with the input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: arn, startDate: new Date() });
    await engine.resumeCase('waste-collection', 'case1-2', resumed);
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: 'case1-2',
      input: JSON.stringify(resumed),
    });
  });

  it('takes the same name and input again as a retry, and refuses other input under the name', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    sfn.on(DescribeExecutionCommand).resolves({ input: JSON.stringify(resumed) });
    await expect(engine.resumeCase('waste-collection', 'case1-2', resumed)).resolves.toBeUndefined();
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: arn });
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ input: JSON.stringify({ ...resumed, resumeAt: 'feedback' }) });
    await expect(engine.resumeCase('waste-collection', 'case1-2', resumed)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('SfnEngine.completeTask', () => {
  const submission: Submission = {
    stepId: 'confirm-address',
    actor: 'citizen',
    channel: 'sms',
    submittedAt: '2026-03-02T10:00:00.000Z',
    data: { correct: true },
  };

  it('sends the submission as the task output', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    await engine.completeTask('tok', submission);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'tok',
      output: JSON.stringify(submission),
    });
  });

  it.each([
    new TaskTimedOut({ message: 'timed out', ...meta }),
    new InvalidToken({ message: 'invalid', ...meta }),
    new TaskDoesNotExist({ message: 'gone', ...meta }),
  ])('maps %s to TokenRejectedError', async (error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    await expect(engine.completeTask('tok', submission)).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('passes other failures on unchanged', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new Error('network'));
    await expect(engine.completeTask('tok', submission)).rejects.toThrow('network');
  });
});

describe('SfnEngine.stopCase', () => {
  it('stops the execution of the case with the reason', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await engine.stopCase('waste-collection', 'case1', 'moved away');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: execution,
      error: 'Case.Cancelled',
      cause: 'moved away',
    });
  });

  it('stops the named execution of a case that continued in a new one', async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await engine.stopCase('waste-collection', 'case1-2', 'moved away');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn: `${execution}-2` });
  });

  it('ignores an execution that never started', async () => {
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', ...meta }));
    await expect(engine.stopCase('waste-collection', 'case1', 'x')).resolves.toBeUndefined();
  });
});

describe('SfnEngine.redriveCase', () => {
  it('redrives the named execution', async () => {
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });
    await engine.redriveCase('waste-collection', 'case1-3');
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(RedriveExecutionCommand, {
      executionArn: `${execution}-3`,
    });
  });

  it.each([
    new ExecutionNotRedrivable({ message: 'too old', ...meta }),
    new ExecutionDoesNotExist({ message: 'gone', ...meta }),
    new ExecutionLimitExceeded({ message: 'busy', ...meta }),
  ])('answers %s with ConflictError NOT_REDRIVABLE, naming the reason', async (error) => {
    sfn.on(RedriveExecutionCommand).rejects(error);
    const refused = await engine.redriveCase('waste-collection', 'case1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'NOT_REDRIVABLE', details: { reason: error.name } });
  });

  it('passes other failures on unchanged when the execution did not start running', async () => {
    sfn.on(RedriveExecutionCommand).rejects(new Error('network'));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED' });
    await expect(engine.redriveCase('waste-collection', 'case1')).rejects.toThrow('network');
    sfn.on(DescribeExecutionCommand).rejects(new Error('network'));
    await expect(engine.redriveCase('waste-collection', 'case1')).rejects.toThrow('network');
  });

  it('takes a lost answer for success when the execution is running again', async () => {
    sfn
      .on(RedriveExecutionCommand)
      .rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', redriveCount: 1 });
    await expect(engine.redriveCase('waste-collection', 'case1')).resolves.toBeUndefined();
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: execution });
  });
});

describe('SfnExecutions.describeFailure', () => {
  it("tells a closed execution's error, cause and redrive count", async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'States.TaskFailed',
      cause: 'boom',
      redriveCount: 2,
    });
    const executions = new SfnExecutions(() => new SFNClient({}));
    await expect(executions.describeFailure(execution)).resolves.toEqual({
      error: 'States.TaskFailed',
      cause: 'boom',
      redriveCount: 2,
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: execution });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    await expect(executions.describeFailure(execution)).resolves.toEqual({ redriveCount: 0 });
  });
});

describe('parseStateMachineArns', () => {
  it('accepts a map of service ids to ARNs and names the variable otherwise', () => {
    expect(parseStateMachineArns(JSON.stringify({ a: machine }))).toEqual({ a: machine });
    expect(() => parseStateMachineArns('{')).toThrow(/STATE_MACHINE_ARNS/);
    expect(() => parseStateMachineArns('{"a":"arn:aws:lambda:x"}')).toThrow(/STATE_MACHINE_ARNS.*\(a\)/);
  });

  it('names every service id whose value is not a state machine ARN, and refuses a root that is no map', () => {
    const raw = JSON.stringify({ a: machine, b: 7, c: null, d: `${machine}:extra`, e: machine });
    expect(() => parseStateMachineArns(raw)).toThrow(/STATE_MACHINE_ARNS.*\(b, c, d\)$/);
    for (const root of ['[]', 'null', '"x"', '3'])
      expect(() => parseStateMachineArns(root)).toThrow(/STATE_MACHINE_ARNS.*\(\(root\)\)$/);
  });

  it('keeps a service id named __proto__ as a key', () => {
    const arns = parseStateMachineArns(`{"__proto__":"${machine}"}`);
    expect(Object.getPrototypeOf(arns)).toBe(Object.prototype);
    expect(Object.keys(arns)).toEqual(['__proto__']);
  });
});
