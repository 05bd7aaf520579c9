/**
 * What the local DynamoDB's requests would be billed in on-demand mode: read and write request units.
 *
 * dynalite's own ConsumedCapacity cannot be used: it counts no index writes, nothing for a failed
 * conditional write, 0 for a Query or Scan that reads nothing, and strings by UTF-16 length. So the
 * units are computed here, from what dynalite's storage layer sees, by DynamoDB's rules
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 * .../CapacityUnitCalculations.html, .../GSI.html#GSI.Writes):
 * - a write: the larger of the item before and after, in 1 KB steps (at least 1); a failed condition
 *   check: the existing item (at least 1); each index entry written or deleted: its size, in 1 KB steps
 *   (a changed index key is a delete and a put);
 * - GetItem: the item in 4 KB steps (a missing item: 1), halved when eventually consistent; BatchGetItem
 *   the same per item; Query and Scan: the items read, summed, then in 4 KB steps (at least 1), halved
 *   when eventually consistent. For those two, dynalite's sum of the items it read is used (it measures
 *   strings in UTF-16 code units: the same as UTF-8 for ASCII text).
 *
 * The hooks wrap functions of dynalite's db module (checkConditional, updateIndexes, addConsumedCapacity,
 * queryTable) and leave what they return untouched: callers receive exactly what they would without the
 * meter. A request is charged to the meter of the server that received it (AsyncLocalStorage).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { type Item, itemSize, readUnits, type Table, writeUnits, writeUnitsOf } from './item-size';

export interface Consumed {
  readUnits: number;
  writeUnits: number;
}

export class CapacityMeter {
  readUnits = 0;
  writeUnits = 0;

  consumed(): Consumed {
    return { readUnits: this.readUnits, writeUnits: this.writeUnits };
  }
}

/** Requests with this header are the runtime's own housekeeping (table creation, TTL sweeps): not billed. */
export const UNMETERED = 'x-local-unmetered';

const meters = new AsyncLocalStorage<CapacityMeter>();
let installed = false;

/** A request the server must not serve, and the answer to give instead. */
export type Gate = (
  req: IncomingMessage,
  body: Buffer,
  housekeeping: boolean,
) => { status: number; body: string } | undefined;

/**
 * Runs `serve` (dynalite handling one request) charged to `meter`. dynalite reads the body in
 * 'data'/'end' listeners, which run outside the request's async context, so `serve` must hand it a
 * replay of the body started inside (dynamo-store.ts does). Requests a gate refused never get here:
 * a refused request costs nothing, as on DynamoDB.
 */
export function metered(meter: CapacityMeter, serve: () => void): void {
  installCapacityHooks();
  meters.run(meter, serve);
}

type Fn = (...args: unknown[]) => unknown;

/** Wraps dynalite's storage functions once per thread; fails loudly if dynalite's layout changed. */
function installCapacityHooks(): void {
  if (installed) return;
  const db = createRequire(__filename)('dynalite/db') as Record<string, Fn>;
  for (const name of ['checkConditional', 'updateIndexes', 'addConsumedCapacity', 'queryTable']) {
    if (typeof db[name] !== 'function')
      throw new Error(`dynalite has no db.${name}: the capacity meter needs updating`);
  }
  const wrap = (name: string, around: (original: Fn, args: unknown[]) => unknown) => {
    const original = db[name] as Fn;
    db[name] = function (this: unknown, ...args: unknown[]) {
      return around((...a) => original.apply(this, a), args);
    };
  };
  wrap('checkConditional', (original, [data, existing]) => {
    const failed = original(data, existing);
    const meter = meters.getStore();
    if (failed && meter) meter.writeUnits += writeUnits(itemSize(existing as Item | undefined));
    return failed;
  });
  wrap('updateIndexes', (original, args) => {
    const [, table, before, after] = args as [unknown, Table, Item | undefined, Item | null];
    const meter = meters.getStore();
    if (meter) meter.writeUnits += writeUnitsOf(table, before, after);
    return original(...args);
  });
  wrap('addConsumedCapacity', (original, args) => {
    const [data, isRead, item] = args as [{ ConsistentRead?: boolean }, boolean, Item | undefined];
    const meter = meters.getStore();
    // GetItem (and each key of a BatchGetItem); the units of writes are counted in updateIndexes.
    if (isRead && meter) meter.readUnits += readUnits(itemSize(item), data.ConsistentRead === true);
    return original(...args);
  });
  wrap('queryTable', (original, args) => {
    const data = args[2] as { ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
    const callback = args[7] as (
      err: unknown,
      result?: { ConsumedCapacity?: { CapacityUnits: number } },
    ) => void;
    const meter = meters.getStore();
    if (!meter) return original(...args);
    const asked = data.ReturnConsumedCapacity;
    const counted = asked === 'TOTAL' || asked === 'INDEXES';
    if (!counted) data.ReturnConsumedCapacity = 'TOTAL';
    args[7] = (err: unknown, result?: { ConsumedCapacity?: { CapacityUnits: number } }) => {
      if (!err && result?.ConsumedCapacity) {
        meter.readUnits += Math.max(result.ConsumedCapacity.CapacityUnits, data.ConsistentRead ? 1 : 0.5);
        if (!counted) delete result.ConsumedCapacity;
      }
      if (!counted) {
        if (asked === undefined) delete data.ReturnConsumedCapacity;
        else data.ReturnConsumedCapacity = asked;
      }
      callback(err, result);
    };
    return original(...args);
  });
  installed = true;
}
