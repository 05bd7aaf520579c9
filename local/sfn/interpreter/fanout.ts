/**
 * Parallel and Map: child threads per branch / item, launched as MaxConcurrency allows; the
 * parent state completes when every child is done (results in branch / item order).
 */

import type { ExecRec, Thread } from '../durability/store';
import type { CState, Graph } from '../language/definition';
import type { Json } from '../language/types';
import { asStatesError, Flow } from './flow';

export abstract class Fanout extends Flow {
  /** Distributed Map: launches units while MaxConcurrency allows; completes the run (maprun.ts). */
  protected abstract pumpRun(x: ExecRec, t: Thread, st: CState): void;

  protected startParallel(x: ExecRec, t: Thread, st: CState, input: Json): void {
    const ev = this.history.emit(x, t, 'ParallelStateStarted');
    t.ph = 'kids';
    this.store.touch(t);
    const branches = st.branches ?? [];
    for (const [i, g] of branches.entries()) this.launch(x, t, i, g, input, ev);
    this.pump(x, t, st);
  }

  protected launch(
    x: ExecRec,
    parent: Thread,
    slot: number,
    g: number,
    input: Json,
    ev: number,
    mi?: number,
    quiet = false,
  ): void {
    const graph = this.host.machine(x).compiled.graphs[g] as Graph;
    const kid: Thread = {
      id: `${x.key}.${x.nt++}`,
      x: x.key,
      g,
      s: graph.startAt,
      in: input,
      ph: 'enter',
      en: 0,
      rc: 0,
      at: 0,
      p: parent.id,
      sl: slot,
      le: ev,
    };
    if (mi !== undefined) kid.mi = mi;
    if (quiet || parent.q) kid.q = true;
    this.store.touchExec(x);
    this.store.putThread(kid);
    this.queue.push(kid);
  }

  /** Starts more Map iterations if allowed; completes the Parallel/Map state when all are done. */
  pump(x: ExecRec, t: Thread, st: CState): void {
    if (st.dist) {
      this.pumpRun(x, t, st);
      return;
    }
    const kids = this.store.kids.get(t.id) ?? [];
    let running = 0;
    for (const k of kids) if (k && k.ph !== 'done') running++;
    if (st.type === 'Map') {
      const items = t.items ?? [];
      const max = st.maxConcurrency ?? 0;
      for (let i = kids.length; i < items.length && (max <= 0 || running < max); i++, running++) {
        const item = items[i] as Json;
        const input = st.itemSelector
          ? st.itemSelector(t.eff ?? null, () =>
              this.context(x, t, { Map: { Item: { Index: i, Value: item } } }),
            )
          : item;
        const ev = this.history.emit(x, t, 'MapIterationStarted', { name: st.name, index: i });
        this.launch(x, t, i, st.iterator as number, input, ev, i);
      }
      if (running > 0 || (this.store.kids.get(t.id)?.length ?? 0) < items.length) return;
    } else if (running > 0 || kids.length < (st.branches?.length ?? 0)) return;
    const done = this.store.kids.get(t.id) ?? [];
    const results = done.map((k) => k.out ?? null);
    for (const k of done) this.store.dropThread(k);
    this.store.kids.delete(t.id);
    this.history.emit(x, t, st.type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
    t.ph = 'run';
    this.finishFanout(x, t, st, results);
    this.queue.push(t);
  }

  /** The children's results through ResultSelector, ResultPath and OutputPath (inline and distributed). */
  protected finishFanout(x: ExecRec, t: Thread, st: CState, results: Json[]): void {
    try {
      const ctx = () => this.context(x, t);
      const res = st.resultSelector ? st.resultSelector(results, ctx) : results;
      this.exit(x, t, st, st.outputPath(st.resultPath(t.in, res), ctx));
    } catch (e) {
      this.fail(x, t, st, asStatesError(e));
    }
  }
}
