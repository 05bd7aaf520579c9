/**
 * Distributed Map runs. Children ("units": one item, or one ItemBatcher batch) run as threads of
 * the parent execution, like inline iterations, but the run streams: units are launched in item
 * order only while fewer than MaxConcurrency run, items come from the ItemReader feed on demand,
 * finished units are dropped at once and only their counts (and, unless ResultPath is null, their
 * outputs, capped at 256 KiB as in AWS) stay in the durable record `Thread.mr`.
 * Local limits: no child executions of their own (no per-child history, DescribeMapRun or
 * ListMapRuns); batches are cut by MaxItemsPerBatch only (MaxInputBytesPerBatch is checked, not
 * applied); ToleratedFailurePercentage is judged once the reader is done and the total is known.
 */
import { randomUUID } from 'node:crypto';
import type { ExecRec, MapRun, Thread } from '../durability/store';
import type { CState } from '../language/definition';
import type { DistConfig } from '../language/distributed-map-config';
import { isObject, type Json, runtimeError, StatesError } from '../language/types';
import { Fanout } from './fanout';
import { asStatesError } from './flow';

/** AWS's payload limit: a Map result without ResultWriter cannot be larger. */
const RESULT_LIMIT = 262_144;
/** AWS runs up to 10,000 child executions at once when MaxConcurrency is 0. */
const DEFAULT_CONCURRENCY = 10_000;

export abstract class MapRuns extends Fanout {
  protected startRun(x: ExecRec, t: Thread, st: CState, eff: Json): void {
    const d = st.dist as DistConfig;
    const ctx = () => this.context(x, t);
    const mr: MapRun = { arn: this.mapRunArn(x, d), n: 0, run: 0, rd: 0, ok: 0, nf: 0 };
    if (d.reader) {
      const p = d.reader.params(eff, ctx);
      const b = isObject(p) ? p.Bucket : undefined;
      const k = isObject(p) ? p.Key : undefined;
      if (typeof b !== 'string' || typeof k !== 'string' || !b || !k) {
        throw new StatesError(
          'States.ItemReaderFailed',
          `ItemReader Parameters must give Bucket and Key as strings, got ${JSON.stringify(p)}`,
        );
      }
      mr.src = { b, k };
    } else {
      const items = (st.itemsPath as NonNullable<CState['itemsPath']>)(eff, ctx);
      if (!Array.isArray(items)) {
        throw runtimeError(`Invalid path 'ItemsPath': the value at ItemsPath is not an array`);
      }
      t.items = items;
    }
    if (d.batchInput) mr.bi = d.batchInput(eff, ctx);
    if (d.collect) {
      mr.res = [];
      mr.rb = 2;
    }
    t.mr = mr;
    t.ph = 'kids';
    t.eff = eff;
    this.history.emit(x, t, 'MapRunStarted', { mapRunArn: mr.arn });
    this.store.touch(t);
    this.pump(x, t, st);
  }

  private mapRunArn(x: ExecRec, d: DistConfig): string {
    const account = x.arn.split(':')[4] ?? '000000000000';
    return `arn:aws:states:${this.host.region}:${account}:mapRun:${this.host.machine(x).name}/${d.label}:${randomUUID()}`;
  }

  protected pumpRun(x: ExecRec, t: Thread, st: CState): void {
    const mr = t.mr;
    const d = st.dist as DistConfig;
    if (!mr || t.ph !== 'kids') return;
    try {
      const over = this.overThreshold(d, mr);
      if (over) {
        this.endRun(x, t, st, over);
        return;
      }
      const cap = st.maxConcurrency || DEFAULT_CONCURRENCY;
      const size = d.batchSize ?? 1;
      while (!mr.eof && mr.run < cap) {
        const items = this.nextItems(x, t, size);
        if (items === null) break; // the feed calls pump again once it has read them
        if (items.length < size) mr.eof = true;
        if (items.length > 0) this.launchUnit(x, t, st, mr, items);
        this.store.touch(t);
      }
      if (mr.eof && mr.run === 0) this.endRun(x, t, st, this.overThreshold(d, mr));
    } catch (e) {
      this.endRun(x, t, st, asStatesError(e));
    }
  }

  private nextItems(x: ExecRec, t: Thread, n: number): Json[] | null {
    const mr = t.mr as MapRun;
    if (!mr.src) return (t.items ?? []).slice(mr.rd, mr.rd + n);
    const feed = this.host.feed(x, t);
    const items = feed.take(n);
    if (feed.error) throw feed.error;
    return items;
  }

  private launchUnit(x: ExecRec, t: Thread, st: CState, mr: MapRun, items: Json[]): void {
    const sel = st.itemSelector;
    const base = mr.rd;
    const inputs = sel
      ? items.map((v, j) =>
          sel(t.eff ?? null, () => this.context(x, t, { Map: { Item: { Index: base + j, Value: v } } })),
        )
      : items;
    const input: Json =
      st.dist?.batchSize === undefined
        ? (inputs[0] as Json)
        : { ...(mr.bi !== undefined ? { BatchInput: mr.bi } : {}), Items: inputs };
    this.launch(x, t, mr.n, st.iterator as number, input, t.le, mr.n, true);
    mr.n++;
    mr.run++;
    mr.rd += items.length;
  }

  protected unitEnded(
    x: ExecRec,
    parent: Thread,
    st: CState,
    kid: Thread,
    output: Json,
    err: StatesError | null,
  ): void {
    this.dropTree(kid);
    this.store.unlink(kid);
    const mr = parent.mr;
    if (!mr || parent.ph !== 'kids') return;
    const size = st.dist?.batchSize ?? 1;
    const unit = kid.mi ?? 0;
    const items = Math.min(size, mr.rd - unit * size);
    mr.run--;
    this.store.touch(parent);
    if (err) mr.nf += items;
    else {
      mr.ok += items;
      if (mr.res) {
        mr.rb = (mr.rb ?? 0) + JSON.stringify(output).length + 1;
        if (mr.rb > RESULT_LIMIT) {
          const why = `The Map result is larger than ${RESULT_LIMIT} bytes; use ResultPath null (the local engine has no ResultWriter)`;
          this.endRun(x, parent, st, new StatesError('States.DataLimitExceeded', why));
          return;
        }
        mr.res.push([unit, output]);
      }
    }
    this.pump(x, parent, st);
  }

  /** AWS: "exceeds" the count, or the percentage of all items (known once the reader is done). */
  private overThreshold(d: DistConfig, mr: MapRun): StatesError | null {
    const { toleratedCount: tc, toleratedPercent: tp } = d;
    const over =
      tc === undefined && tp === undefined
        ? mr.nf > 0
        : (tc !== undefined && mr.nf > tc) ||
          (tp !== undefined && mr.eof === true && mr.rd > 0 && (mr.nf * 100) / mr.rd > tp);
    if (!over) return null;
    const of = mr.eof ? `${mr.rd}` : `at least ${mr.rd}`;
    const limits = [tc !== undefined ? `${tc} items` : '', tp !== undefined ? `${tp}%` : '']
      .filter(Boolean)
      .join(' or ');
    return new StatesError(
      'States.ExceedToleratedFailureThreshold',
      `The tolerated failure threshold was exceeded: ${mr.nf} of ${of} items failed (tolerated: ${limits || 'none'})`,
    );
  }

  /** Ends the run: running units are dropped (AWS aborts them), then the state completes or fails. */
  private endRun(x: ExecRec, t: Thread, st: CState, err: StatesError | null): void {
    const mr = t.mr;
    for (const k of this.store.kids.get(t.id) ?? []) if (k) this.dropTree(k);
    this.store.kids.delete(t.id);
    this.host.closeFeed(t.id);
    t.ph = 'run';
    t.mr = undefined;
    t.items = undefined;
    this.store.touch(t);
    if (err) {
      this.history.emit(x, t, 'MapRunFailed', { error: err.error, cause: err.causeText });
      this.fail(x, t, st, err);
    } else {
      this.history.emit(x, t, 'MapRunSucceeded');
      const results = (mr?.res ?? []).sort((a, b) => a[0] - b[0]).map((r) => r[1]);
      this.finishFanout(x, t, st, results);
    }
    this.queue.push(t);
  }
}
