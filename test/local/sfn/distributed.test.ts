/**
 * Distributed Map on the local engine: ItemReader (S3 CSV / JSON / JSONL), ItemSelector,
 * ItemBatcher, MaxConcurrency, tolerated failures, streaming with backpressure, compile checks.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import type { Json } from '../../../local/sfn/language/json';
import { tempDirs } from '../../support/temp-dirs';
import { type MemoryS3, memoryS3, roundCsv } from './fixtures/map-data';
import { runLocal } from './helpers';

const GET = 'arn:aws:states:::s3:getObject';
const DIST = { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' };
const invokeTask = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'work', 'Payload.$': '$' },
  OutputPath: '$.Payload',
  End: true,
};
const csvReader = (key = 'in.csv', extra: Record<string, Json> = {}) => ({
  Resource: GET,
  ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', ...extra },
  Parameters: { Bucket: 'bucket', Key: key },
});
const mapOf = (fields: Record<string, unknown>) => ({
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: DIST, StartAt: 'T', States: { T: invokeTask } },
      End: true,
      ...fields,
    },
  },
});

/** An invoke that records payloads and the peak number of calls in flight. */
function worker(fn: (p: Json) => Json | Promise<Json> = (p) => p, delayMs = 0) {
  const w = {
    calls: [] as Json[],
    inFlight: 0,
    peak: 0,
    invoke: async (_name: string, payload: Json) => {
      w.calls.push(payload);
      w.inFlight++;
      w.peak = Math.max(w.peak, w.inFlight);
      try {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        return await fn(payload);
      } finally {
        w.inFlight--;
      }
    },
  };
  return w;
}

const tempDir = tempDirs('sfn-dmap-');

describe('Distributed Map with ItemReader', () => {
  it('reads a CSV from S3 in batches with BatchInput, ItemSelector index and a dynamic Key', async () => {
    const s3 = memoryS3({ 'bucket/rounds/r1/valid.csv': roundCsv(5) });
    const w = worker((p) => ({ n: (p as { Items: Json[] }).Items.length }));
    const engine = new Engine({ s3, invoke: w.invoke });
    const def = mapOf({
      ItemReader: {
        Resource: GET,
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: 'bucket', 'Key.$': "States.Format('rounds/{}/valid.csv', $.roundId)" },
      },
      ItemSelector: {
        'i.$': '$$.Map.Item.Index',
        'ref.$': '$$.Map.Item.Value.reference',
        'round.$': '$.roundId',
      },
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'roundId.$': '$.roundId', fixed: 1 } },
      MaxConcurrency: 1,
      ResultPath: '$.results',
    });
    const out = await runLocal(engine, def, { roundId: 'r1' });
    expect(out.status).toBe('SUCCEEDED');
    const item = (i: number) => ({ i, ref: `r${i}`, round: 'r1' });
    expect(w.calls).toEqual([
      { BatchInput: { roundId: 'r1', fixed: 1 }, Items: [item(0), item(1)] },
      { BatchInput: { roundId: 'r1', fixed: 1 }, Items: [item(2), item(3)] },
      { BatchInput: { roundId: 'r1', fixed: 1 }, Items: [item(4)] },
    ]);
    expect(out.output).toEqual({ roundId: 'r1', results: [{ n: 2 }, { n: 2 }, { n: 1 }] });
  });

  it('gives CSV rows as header -> string objects (FIRST_ROW), records MapRun events only', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(3) });
    const w = worker();
    const engine = new Engine({ s3, invoke: w.invoke });
    const out = await runLocal(engine, mapOf({ ItemReader: csvReader(), MaxConcurrency: 1 }), {});
    expect(out.output).toEqual(
      [0, 1, 2].map((i) => ({ reference: `r${i}`, name: `Household ${i}, street` })),
    );
    const arn = engine.listStateMachines().stateMachines?.at(-1)?.stateMachineArn as string;
    const [exec] = engine.listExecutions({ stateMachineArn: arn }).executions ?? [];
    const types = (engine.getExecutionHistory({ executionArn: exec?.executionArn }).events ?? []).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('reads GIVEN headers with another delimiter and stops at MaxItems', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': 'a;b\n1;x\n2;y\n3;z\n' });
    const engine = new Engine({ s3, invoke: worker().invoke });
    const reader = csvReader('in.csv', {
      CSVHeaderLocation: 'GIVEN',
      CSVHeaders: ['first', 'second'],
      CSVDelimiter: 'SEMICOLON',
      MaxItems: 2,
    });
    const out = await runLocal(engine, mapOf({ ItemReader: reader }), {});
    expect(out.output).toEqual([
      { first: 'a', second: 'b' },
      { first: '1', second: 'x' },
    ]);
  });

  it('reads JSON arrays and JSON Lines', async () => {
    const s3 = memoryS3({
      'bucket/a.json': JSON.stringify([{ v: 1 }, { v: 2 }, 3]),
      'bucket/b.jsonl': '{"v":1}\n\n{"v":2}\n',
    });
    const engine = new Engine({ s3, invoke: worker().invoke });
    const read = (key: string, InputType: string) =>
      runLocal(
        engine,
        mapOf({
          ItemReader: {
            Resource: GET,
            ReaderConfig: { InputType },
            Parameters: { Bucket: 'bucket', Key: key },
          },
        }),
        {},
      );
    expect((await read('a.json', 'JSON')).output).toEqual([{ v: 1 }, { v: 2 }, 3]);
    expect((await read('b.jsonl', 'JSONL')).output).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('respects MaxConcurrency (counted in flight)', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(40) });
    const w = worker((p) => p, 5);
    const engine = new Engine({ s3, invoke: w.invoke });
    const out = await runLocal(
      engine,
      mapOf({ ItemReader: csvReader(), MaxConcurrency: 3, ResultPath: null }),
      {
        keep: true,
      },
    );
    expect(out).toEqual({ status: 'SUCCEEDED', output: { keep: true } });
    expect(w.calls).toHaveLength(40);
    expect(w.peak).toBe(3);
  });

  describe('tolerated failures', () => {
    const failing = (bad: Set<string>) =>
      worker((p) => {
        if (bad.has((p as { reference: string }).reference)) throw new Error('no');
        return 'ok';
      });
    const run = (fields: Record<string, unknown>, bad: string[]) => {
      const s3 = memoryS3({ 'bucket/in.csv': roundCsv(20) });
      const engine = new Engine({ s3, invoke: failing(new Set(bad)).invoke });
      return runLocal(
        engine,
        mapOf({ ItemReader: csvReader(), MaxConcurrency: 4, ResultPath: null, ...fields }),
        {},
      );
    };

    it('fails on the first failure without a threshold', async () => {
      const out = await run({}, ['r7']);
      expect(out.status).toBe('FAILED');
      expect(out.error).toBe('States.ExceedToleratedFailureThreshold');
    });

    it('tolerates failures up to ToleratedFailureCount, fails above it', async () => {
      expect((await run({ ToleratedFailureCount: 2 }, ['r1', 'r9'])).status).toBe('SUCCEEDED');
      const out = await run({ ToleratedFailureCount: 2 }, ['r1', 'r9', 'r19']);
      expect(out.status).toBe('FAILED');
      expect(out.error).toBe('States.ExceedToleratedFailureThreshold');
      expect(out.cause).toContain('3 of');
    });

    it('tolerates failures up to ToleratedFailurePercentage of all items, fails above it', async () => {
      expect((await run({ ToleratedFailurePercentage: 10 }, ['r0', 'r19'])).status).toBe('SUCCEEDED');
      const out = await run({ ToleratedFailurePercentage: 10 }, ['r0', 'r5', 'r19']);
      expect(out.error).toBe('States.ExceedToleratedFailureThreshold');
      expect(out.cause).toContain('3 of 20 items failed');
    });

    it('counts the items of a failed batch, and a Catch on the Map sees the error', async () => {
      const def = mapOf({
        ItemReader: csvReader(),
        ItemBatcher: { MaxItemsPerBatch: 4 },
        ToleratedFailureCount: 3,
        ResultPath: null,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
      }) as { States: Record<string, Record<string, unknown>> };
      (def.States.M as Record<string, unknown>).End = undefined;
      (def.States.M as Record<string, unknown>).Next = 'Done';
      def.States.Done = { Type: 'Pass', End: true };
      def.States.Caught = { Type: 'Pass', End: true };
      const s3 = memoryS3({ 'bucket/in.csv': roundCsv(20) });
      const w = worker((p) => {
        if ((p as { Items: { reference: string }[] }).Items.some((i) => i.reference === 'r6'))
          throw new Error('no');
        return 'ok';
      });
      const out = await runLocal(new Engine({ s3, invoke: w.invoke }), def, { a: 1 });
      expect(out.status).toBe('SUCCEEDED');
      const error = (out.output as { error: { Error: string; Cause: string } }).error;
      expect(error.Error).toBe('States.ExceedToleratedFailureThreshold');
      expect(error.Cause).toContain('4 of');
    });
  });

  describe('reader errors fail the Map with States.ItemReaderFailed', () => {
    const cases: [string, MemoryS3 | undefined, string][] = [
      ['no s3 option', undefined, 'EngineOptions.s3'],
      ['a missing object', memoryS3({}), 'does not exist'],
      ['a row with too many fields', memoryS3({ 'bucket/in.csv': 'a,b\n1,2\n1,2,3\n' }), 'line 3'],
      ['broken quoting', memoryS3({ 'bucket/in.csv': 'a,b\n"1,2\n' }), 'never closed'],
    ];
    it.each(cases)('%s', async (_name, s3, cause) => {
      const engine = new Engine({ s3, invoke: worker().invoke });
      const out = await runLocal(engine, mapOf({ ItemReader: csvReader() }), {});
      expect(out.status).toBe('FAILED');
      expect(out.error).toBe('States.ItemReaderFailed');
      expect(out.cause).toContain(cause);
    });
  });

  it('stops cleanly mid-map: running children stopped (parked for redrive), the reader not read further', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(1_000) });
    const w = worker(() => new Promise<Json>(() => undefined));
    const engine = new Engine({ s3, invoke: w.invoke });
    const def = mapOf({ ItemReader: csvReader(), MaxConcurrency: 5 });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'stop',
      definition: JSON.stringify(def),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    for (let i = 0; i < 200 && w.calls.length < 5; i++) await new Promise((r) => setTimeout(r, 5));
    expect(w.calls).toHaveLength(5);
    await engine.stopExecution({ executionArn });
    expect(engine.describeExecution({ executionArn }).status).toBe('ABORTED');
    // The Map thread and its 5 running units keep their positions for RedriveExecution.
    expect(engine.stats()).toMatchObject({ threads: 0, parked: 6, reading: 0, tokens: 0 });
    const pulled = s3.pulled;
    expect(pulled).toBeLessThanOrEqual(7);
    await new Promise((r) => setTimeout(r, 50));
    expect(s3.pulled).toBe(pulled);
    expect(w.calls).toHaveLength(5);
  });

  it('also runs Distributed Maps over ItemsPath arrays with batches', async () => {
    const w = worker((p) => (p as { Items: number[] }).Items.reduce((a, b) => a + b, 0));
    const engine = new Engine({ invoke: w.invoke });
    const def = mapOf({ ItemsPath: '$.xs', ItemBatcher: { MaxItemsPerBatch: 2 }, MaxConcurrency: 2 });
    const out = await runLocal(engine, def, { xs: [1, 2, 3, 4, 5] });
    expect(out.output).toEqual([3, 7, 5]);
  });

  it('fails with States.DataLimitExceeded when collected results pass 256 KiB', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(40) });
    const engine = new Engine({ s3, invoke: worker(() => 'x'.repeat(10_000)).invoke });
    const out = await runLocal(engine, mapOf({ ItemReader: csvReader(), MaxConcurrency: 2 }), {});
    expect(out.error).toBe('States.DataLimitExceeded');
  });
});

describe('Distributed Map definitions', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    [
      'another reader resource',
      { ItemReader: { ...csvReader(), Resource: 'arn:aws:states:::s3:listObjectsV2' } },
      'ItemReader.Resource',
    ],
    ['no InputType', { ItemReader: { Resource: GET, Parameters: { Bucket: 'b', Key: 'k' } } }, 'InputType'],
    ['no Key', { ItemReader: { ...csvReader(), Parameters: { Bucket: 'b' } } }, 'needs Key'],
    [
      'GIVEN without CSVHeaders',
      { ItemReader: csvReader('k', { CSVHeaderLocation: 'GIVEN' }) },
      'CSVHeaders',
    ],
    ['an unknown delimiter', { ItemReader: csvReader('k', { CSVDelimiter: 'TABS' }) }, 'CSVDelimiter'],
    ['MaxItems 0', { ItemReader: csvReader('k', { MaxItems: 0 }) }, 'MaxItems'],
    ['ItemsPath with ItemReader', { ItemReader: csvReader(), ItemsPath: '$.xs' }, 'ItemsPath'],
    ['MaxItemsPerBatch 0', { ItemBatcher: { MaxItemsPerBatch: 0 } }, 'MaxItemsPerBatch'],
    ['an empty ItemBatcher', { ItemBatcher: {} }, 'ItemBatcher needs'],
    ['ToleratedFailurePercentage 150', { ToleratedFailurePercentage: 150 }, 'ToleratedFailurePercentage'],
    ['ToleratedFailureCount -1', { ToleratedFailureCount: -1 }, 'ToleratedFailureCount'],
    ['a ResultWriter', { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' } }, 'ResultWriter'],
    ['MaxConcurrency 1.5', { MaxConcurrency: 1.5 }, 'MaxConcurrency'],
  ];
  it.each(bad)('rejects %s', async (_name, fields, message) => {
    const engine = new Engine();
    const definition = JSON.stringify(mapOf({ ItemsPath: fields.ItemReader ? undefined : '$', ...fields }));
    await expect(engine.createStateMachine({ name: 'bad', definition })).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining(message),
    });
  });

  it('rejects distributed-only fields in INLINE mode and DISTRIBUTED without ExecutionType', async () => {
    const engine = new Engine();
    const inline = mapOf({ ItemReader: csvReader() }) as { States: { M: { ItemProcessor: object } } };
    inline.States.M.ItemProcessor = { StartAt: 'T', States: { T: invokeTask } };
    await expect(
      engine.createStateMachine({ name: 'inline', definition: JSON.stringify(inline) }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('ItemReader needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED'),
    });
    const noType = mapOf({}) as { States: { M: { ItemProcessor: { ProcessorConfig: object } } } };
    noType.States.M.ItemProcessor.ProcessorConfig = { Mode: 'DISTRIBUTED' };
    await expect(
      engine.createStateMachine({ name: 'notype', definition: JSON.stringify(noType) }),
    ).rejects.toMatchObject({ message: expect.stringContaining('ExecutionType') });
  });
});

describe('Distributed Map at scale', () => {
  it('streams 10,000 items with bounded concurrency and read-ahead', async () => {
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(10_000) });
    let finished = 0;
    let gap = 0;
    const w = worker(async () => {
      // Lines pulled from S3 (header included) vs items whose child finished.
      gap = Math.max(gap, s3.pulled - finished);
      await new Promise((r) => setImmediate(r));
      finished++;
      return null;
    });
    const engine = new Engine({ s3, invoke: w.invoke });
    const out = await runLocal(
      engine,
      mapOf({ ItemReader: csvReader(), MaxConcurrency: 20, ResultPath: null }),
      {},
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(w.calls).toHaveLength(10_000);
    expect(new Set(w.calls.map((c) => (c as { reference: string }).reference)).size).toBe(10_000);
    expect(w.peak).toBeLessThanOrEqual(20);
    expect(w.peak).toBeGreaterThan(10);
    // Read ahead at most MaxConcurrency items (plus the header and the line being parsed).
    expect(gap).toBeLessThanOrEqual(22);
    expect(engine.stats().threads).toBe(0);
  });

  it('keeps the journal small for a big durable map (no per-item history)', async () => {
    const dir = tempDir();
    const s3 = memoryS3({ 'bucket/in.csv': roundCsv(2_000) });
    const engine = new Engine({ dataDir: dir, compactBytes: 200_000, s3, invoke: worker(() => 1).invoke });
    const def = mapOf({
      ItemReader: csvReader(),
      ItemBatcher: { MaxItemsPerBatch: 2 },
      MaxConcurrency: 8,
      ResultPath: null,
    });
    const out = await runLocal(engine, def, {});
    expect(out.status).toBe('SUCCEEDED');
    await engine.close();
    const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(bytes).toBeLessThan(600_000);
    const again = new Engine({ dataDir: dir });
    const arn = again.listStateMachines().stateMachines?.[0]?.stateMachineArn as string;
    const [exec] = again.listExecutions({ stateMachineArn: arn }).executions ?? [];
    expect(exec?.status).toBe('SUCCEEDED');
    expect(again.getExecutionHistory({ executionArn: exec?.executionArn }).events).toHaveLength(6);
    await again.close();
  });
});
