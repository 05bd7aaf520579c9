import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SfnRoundEngine } from '../../../functions/rounds/sfn-round-engine';

// The round engine's exact Step Functions calls, and the module instance configured at load.

const sfn = mockClient(SFNClient);
const machine = 'arn:aws:states:eu-west-1:000000000000:stateMachine:coproduce-round';
const engine = new SfnRoundEngine(machine, () => new SFNClient({}));
const input = {
  roundId: 'a'.repeat(32),
  org: 'gm0363',
  serviceId: 'waste-collection',
  onInvalid: 'skip',
  attempt: 2,
};
const meta = { $metadata: {} };

afterEach(() => {
  sfn.reset();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('SfnRoundEngine.startRound', () => {
  it('starts one execution named <roundId>-<attempt> with the round input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${machine}:x`, startDate: new Date() });
    await engine.startRound(input.roundId, 2, input);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: `${'a'.repeat(32)}-2`,
      input: JSON.stringify(input),
    });
  });

  it('treats an execution of that name that already exists as started (a retried start)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    await expect(engine.startRound(input.roundId, 2, input)).resolves.toBeUndefined();
  });

  it('passes any other error on', async () => {
    sfn.on(StartExecutionCommand).rejects(new StateMachineDoesNotExist({ message: 'gone', ...meta }));
    await expect(engine.startRound(input.roundId, 2, input)).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('round adapter modules', () => {
  it('round-engine fails at load, naming ROUND_STATE_MACHINE_ARN, when it is missing', async () => {
    vi.stubEnv('ROUND_STATE_MACHINE_ARN', '');
    await expect(import('../../../functions/rounds/engine')).rejects.toThrow('ROUND_STATE_MACHINE_ARN');
  });

  it('round-engine starts executions of the configured machine', async () => {
    vi.stubEnv('ROUND_STATE_MACHINE_ARN', machine);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${machine}:x`, startDate: new Date() });
    const { roundEngine } = await import('../../../functions/rounds/engine');
    await roundEngine.startRound('b'.repeat(32), 1, {});
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: `${'b'.repeat(32)}-1`,
    });
  });

  it('round-files fails at load, naming ROUND_BUCKET, when it is missing', async () => {
    vi.stubEnv('ROUND_BUCKET', '');
    await expect(import('../../../functions/rounds/files')).rejects.toThrow('ROUND_BUCKET');
  });

  it('round-files and rounds give the S3 and DynamoDB adapters when configured', async () => {
    vi.stubEnv('ROUND_BUCKET', 'coproduce-rounds');
    vi.stubEnv('TABLE_NAME', 'coproduce-cases');
    const { roundFiles } = await import('../../../functions/rounds/files');
    const { rounds } = await import('../../../functions/rounds/repository');
    expect(roundFiles).toBeInstanceOf(
      (await import('../../../functions/rounds/s3-round-files')).S3RoundFiles,
    );
    expect(rounds).toBeInstanceOf(
      (await import('../../../functions/rounds/dynamo-rounds')).DynamoRoundRepository,
    );
  });

  it('rounds fails at load, naming TABLE_NAME, when it is missing', async () => {
    vi.stubEnv('TABLE_NAME', '');
    await expect(import('../../../functions/rounds/repository')).rejects.toThrow('TABLE_NAME');
  });
});
