/**
 * Redrive of an execution with a Distributed Map, as far as the local engine goes. AWS redrives
 * the parent and, through it, only the unsuccessful child executions of the Map Run
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html, Distributed Map
 * row). Locally there are no child executions, so:
 * - stopped or timed out while the Map Run was running: redrive resumes the run (the units that
 *   were running start again, finished ones stay counted, the reader continues where it was);
 * - the Map Run itself failed (tolerated failure threshold): redrive runs the Map state again, all
 *   items included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import type { Json } from '../../../local/sfn/language/json';
import { memoryS3, roundCsv } from './fixtures/map-data';
import { until } from './helpers';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

const definition = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      MaxConcurrency: 2,
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: 'bucket', Key: 'in.csv' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'work', 'Payload.$': '$.reference' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      },
      End: true,
    },
  },
};

async function setup(work: (reference: string) => Json | Promise<Json>) {
  const s3 = memoryS3({ 'bucket/in.csv': roundCsv(6) });
  const calls: string[] = [];
  const engine = new Engine({
    s3,
    invoke: async (_f, reference) => {
      calls.push(reference as string);
      return work(reference as string);
    },
  });
  engines.push(engine);
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'dmap',
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn });
  return { engine, s3, calls, arn: executionArn as string };
}

describe('redrive with a Distributed Map', () => {
  it('resumes a Map Run that was stopped: the running units again, the rest as usual', async () => {
    let stuck = true;
    const { engine, s3, calls, arn } = await setup((reference) =>
      stuck ? new Promise<Json>(() => undefined) : `done ${reference}`,
    );
    await until(() => calls.length === 2, 200);
    await engine.stopExecution({ executionArn: arn });
    expect(calls).toEqual(['r0', 'r1']);
    stuck = false;
    await engine.redriveExecution({ executionArn: arn });
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toEqual(
      ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].map((r) => `done ${r}`),
    );
    expect(calls.slice(2).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(s3.reads).toBe(2);
  });

  it('runs the whole Map state again when the Map Run itself failed', async () => {
    let broken = true;
    const { engine, calls, arn } = await setup((reference) => {
      if (broken && reference === 'r3') throw Object.assign(new Error('bad row'), { name: 'Row.Invalid' });
      return reference;
    });
    expect((await engine.waitForExecution(arn)).error).toBe('States.ExceedToleratedFailureThreshold');
    const before = calls.length;
    broken = false;
    await engine.redriveExecution({ executionArn: arn });
    const d = await engine.waitForExecution(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(calls.slice(before).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });
});
