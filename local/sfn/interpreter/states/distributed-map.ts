/**
 * The Distributed Map state. Children ("units": one item, or one ItemBatcher batch) run as
 * threads of the parent execution, like inline iterations, but the run streams: units are
 * launched in item order only while fewer than MaxConcurrency run, items come from the
 * ItemReader feed on demand, finished units are dropped at once and only their counts (and,
 * unless ResultPath is null, their outputs, capped at 256 KiB as in AWS) stay in the durable
 * record `thread.mapRun`. Local limits: no child executions of their own (no per-child history,
 * DescribeMapRun or ListMapRuns); batches are cut by MaxItemsPerBatch only (MaxInputBytesPerBatch
 * is checked, not applied); ToleratedFailurePercentage is judged once the reader is done.
 */
import type { DistributedMapConfig } from '../../language/distributed-map-config';
import { isObject, type Json } from '../../language/json';
import {
  asStatesError,
  DataLimitExceeded,
  ItemReaderFailed,
  type StatesError,
  StatesRuntimeError,
} from '../../language/states-errors';
import { finishWithResults, launchChild } from '../children';
import type { Execution, Thread } from '../execution';
import type { MapRun } from '../execution-records';
import { mapRunArn, overThreshold } from '../map-runs';
import type { StateRun } from '../ports';
import { dropTree } from '../transitions';

/** AWS's payload limit: a Map result without ResultWriter cannot be larger. */
const RESULT_LIMIT = 262_144;
/** AWS runs up to 10,000 child executions at once when MaxConcurrency is 0. */
const DEFAULT_CONCURRENCY = 10_000;

export function runDistributedMap(run: StateRun, input: Json): void {
  const { interpreter, execution, thread, state } = run;
  const config = state.distributed as DistributedMapConfig;
  const mapRun: MapRun = {
    arn: mapRunArn(execution, interpreter.host.region, config.label),
    unitsLaunched: 0,
    unitsRunning: 0,
    itemsRead: 0,
    itemsSucceeded: 0,
    itemsFailed: 0,
  };
  if (config.reader) {
    const p = config.reader.parameters(input, run.context);
    const bucket = isObject(p) ? p.Bucket : undefined;
    const key = isObject(p) ? p.Key : undefined;
    if (typeof bucket !== 'string' || typeof key !== 'string' || !bucket || !key) {
      throw new ItemReaderFailed(
        `ItemReader Parameters must give Bucket and Key as strings, got ${JSON.stringify(p)}`,
      );
    }
    mapRun.source = { bucket, key };
  } else {
    const items = (state.itemsPath as NonNullable<typeof state.itemsPath>)(input, run.context);
    if (!Array.isArray(items)) {
      throw new StatesRuntimeError(`Invalid path 'ItemsPath': the value at ItemsPath is not an array`);
    }
    thread.items = items;
  }
  if (config.batchInput) mapRun.batchInput = config.batchInput(input, run.context);
  if (config.collect) {
    mapRun.results = [];
    mapRun.resultBytes = 2;
  }
  thread.mapRun = mapRun;
  thread.phase = 'children';
  thread.effectiveInput = input;
  interpreter.history.emit(execution, thread, 'MapRunStarted', { mapRunArn: mapRun.arn });
  interpreter.store.touchThread(execution, thread);
  pumpDistributedMap(run);
}

/** Launches units while MaxConcurrency allows and items are at hand; completes the run. */
export function pumpDistributedMap(run: StateRun): void {
  const { thread, state } = run;
  const mapRun = thread.mapRun;
  const config = state.distributed as DistributedMapConfig;
  if (!mapRun || thread.phase !== 'children') return;
  try {
    const over = overThreshold(config, mapRun);
    if (over) {
      endRun(run, over);
      return;
    }
    const cap = state.maxConcurrency || DEFAULT_CONCURRENCY;
    const size = config.batchSize ?? 1;
    while (!mapRun.readerDone && mapRun.unitsRunning < cap) {
      const items = nextItems(run, size);
      if (items === null) break; // the feed calls pump again once it has read them
      if (items.length < size) mapRun.readerDone = true;
      if (items.length > 0) launchUnit(run, mapRun, items);
      run.interpreter.store.touchThread(run.execution, thread);
    }
    if (mapRun.readerDone && mapRun.unitsRunning === 0) endRun(run, overThreshold(config, mapRun));
  } catch (e) {
    endRun(run, asStatesError(e));
  }
}

function nextItems(run: StateRun, n: number): Json[] | null {
  const mapRun = run.thread.mapRun as MapRun;
  if (!mapRun.source) return (run.thread.items ?? []).slice(mapRun.itemsRead, mapRun.itemsRead + n);
  const feed = run.interpreter.host.itemFeed(run.execution, run.thread);
  const items = feed.take(n);
  if (feed.error) throw feed.error;
  return items;
}

function launchUnit(run: StateRun, mapRun: MapRun, items: Json[]): void {
  const { interpreter, execution, thread, state } = run;
  const selector = state.itemSelector;
  const first = mapRun.itemsRead;
  const inputs = selector
    ? items.map((value, j) =>
        selector(thread.effectiveInput ?? null, () =>
          run.context({ Map: { Item: { Index: first + j, Value: value } } }),
        ),
      )
    : items;
  const input: Json =
    state.distributed?.batchSize === undefined
      ? (inputs[0] as Json)
      : { ...(mapRun.batchInput !== undefined ? { BatchInput: mapRun.batchInput } : {}), Items: inputs };
  const unit = mapRun.unitsLaunched;
  const graph = state.itemProcessor as number;
  launchChild(interpreter, execution, thread, {
    slot: unit,
    graph,
    input,
    startedEvent: thread.lastEventId,
    mapIndex: unit,
    quiet: true,
  });
  mapRun.unitsLaunched++;
  mapRun.unitsRunning++;
  mapRun.itemsRead += items.length;
}

/** A unit ended: with its output, or with `error` when it failed. */
export function unitEnded(run: StateRun, unit: Thread, output: Json, error: StatesError | null): void {
  const { interpreter, execution, thread: parent, state } = run;
  dropTree(interpreter, execution, unit);
  execution.unlinkChild(unit);
  const mapRun = parent.mapRun;
  if (!mapRun || parent.phase !== 'children') return;
  const size = state.distributed?.batchSize ?? 1;
  const index = unit.mapIndex ?? 0;
  const items = Math.min(size, mapRun.itemsRead - index * size);
  mapRun.unitsRunning--;
  interpreter.store.touchThread(execution, parent);
  if (error) mapRun.itemsFailed += items;
  else {
    mapRun.itemsSucceeded += items;
    if (mapRun.results) {
      mapRun.resultBytes = (mapRun.resultBytes ?? 0) + JSON.stringify(output).length + 1;
      if (mapRun.resultBytes > RESULT_LIMIT) {
        const why = `The Map result is larger than ${RESULT_LIMIT} bytes; use ResultPath null (the local engine has no ResultWriter)`;
        endRun(run, new DataLimitExceeded(why));
        return;
      }
      mapRun.results.push([index, output]);
    }
  }
  pumpDistributedMap(run);
}

/** Ends the run: running units are dropped (AWS aborts them), then the state completes or fails. */
function endRun(run: StateRun, error: StatesError | null): void {
  const { interpreter, execution, thread } = run;
  const mapRun = thread.mapRun;
  stopUnits(run.interpreter, execution, thread);
  thread.phase = 'run';
  thread.mapRun = undefined;
  thread.items = undefined;
  interpreter.store.touchThread(execution, thread);
  if (error) {
    interpreter.history.emit(execution, thread, 'MapRunFailed', {
      error: error.error,
      cause: error.causeText,
    });
    interpreter.handleError(run, error);
  } else {
    interpreter.history.emit(execution, thread, 'MapRunSucceeded');
    const results = (mapRun?.results ?? []).sort((a, b) => a[0] - b[0]).map((r) => r[1]);
    finishWithResults(run, results);
  }
  interpreter.queue.push(thread);
}

function stopUnits(interpreter: StateRun['interpreter'], execution: Execution, thread: Thread): void {
  for (const unit of execution.children.get(thread.id) ?? [])
    if (unit) dropTree(interpreter, execution, unit);
  execution.dropChildSlots(thread.id);
  interpreter.host.closeItemFeed(thread.id);
}
