/**
 * The engine's state: state machines, executions, threads (positions inside the state graphs)
 * and execution histories, plus change tracking. Every mutation marks its object dirty; `commit`
 * turns the changes since the last commit into one journal line. The same record format is used
 * for snapshots, and `apply` is idempotent, so replay = apply every line in order.
 */
import type { CompiledMachine } from '../language/definition';
import type { Json } from '../language/types';

export type ExecStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface MachineRec {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: string;
  created: number;
  deleted?: boolean;
  /** Revision, bumped by UpdateStateMachine; executions keep the revision they started on. */
  rev?: number;
}

export interface ExecRec {
  key: number;
  arn: string;
  name: string;
  sm: string;
  /** The machine revision this execution runs. */
  rev?: number;
  input: string;
  st: ExecStatus;
  start: number;
  stop?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Next history event id and next thread number. */
  ne: number;
  nt: number;
  /** Execution-level TimeoutSeconds due time. */
  to?: number;
  /** RedriveExecution: how often and when last (engine ms), and the client tokens it accepted. */
  redriveCount?: number;
  redriveDate?: number;
  redriveTokens?: { token: string; date: number }[];
  /** Order of the execution's latest status change among all executions (see notices.ts). */
  statusSequence?: number;
}

export type Phase = 'enter' | 'run' | 'wait' | 'retry' | 'task' | 'kids' | 'done';

export interface Thread {
  id: string;
  x: number;
  g: number;
  s: string;
  in: Json;
  ph: Phase;
  en: number;
  rc: number;
  ra?: number[];
  due?: number;
  out?: Json;
  tok?: string;
  sub?: boolean;
  to?: number;
  hb?: number;
  /** HeartbeatSeconds of the running task, to re-arm on SendTaskHeartbeat. */
  hs?: number;
  at: number;
  p?: string;
  sl?: number;
  mi?: number;
  items?: Json[];
  eff?: Json;
  le: number;
  ev?: number;
  /** Progress of a Distributed Map run (on the Map's thread). */
  mr?: MapRun;
  /** Child of a Distributed Map (or below one): no events in the parent's history. */
  q?: boolean;
}

/**
 * The durable progress record of a Distributed Map run. Units (children: one item, or one batch)
 * are launched in item order and every unit but the last holds `size` items, so `rd` (items
 * handed out) is all a restart needs to re-open the reader and skip what already ran; running
 * units are threads of their own and continue where they were.
 */
export interface MapRun {
  arn: string;
  /** Units launched, units running, items handed out. */
  n: number;
  run: number;
  rd: number;
  /** Items whose unit succeeded / failed. */
  ok: number;
  nf: number;
  /** The reader is exhausted: `rd` is the total. */
  eof?: boolean;
  /** S3 object of the ItemReader. */
  src?: { b: string; k: string };
  /** Evaluated ItemBatcher.BatchInput. */
  bi?: Json;
  /** Outputs of succeeded units as [unit, output], and their JSON size (kept under 256 KiB). */
  res?: [number, Json][];
  rb?: number;
}

export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

interface Rec {
  m?: MachineRec;
  c?: number;
  x?: ExecRec[];
  t?: Thread[];
  d?: string[];
  h?: [number, HistoryEvent][];
  /** Status changes up to this sequence number have been announced (notices.ts). */
  announced?: number;
}

export interface Machine extends MachineRec {
  compiled: CompiledMachine;
}

export class Store {
  readonly machines = new Map<string, Machine>();
  /** Every revision of every machine, by `arn#rev`, for executions started on older ones. */
  readonly revisions = new Map<string, Machine>();
  readonly execs = new Map<string, ExecRec>();
  readonly execByKey = new Map<number, ExecRec>();
  readonly threads = new Map<string, Thread>();
  readonly history = new Map<number, HistoryEvent[]>();
  /** Children of a Parallel/Map thread by slot (derived, not persisted). */
  readonly kids = new Map<string, Thread[]>();
  offset = 0;
  nextExecKey = 1;
  /** Last status-change sequence number given out, and the last one announced to listeners. */
  statusSequence = 0;
  announced = 0;

  private dx = new Set<ExecRec>();
  private dt = new Set<Thread>();
  private dd: string[] = [];
  private dh: [number, HistoryEvent][] = [];
  private dm: MachineRec | null = null;
  private dc = false;
  private announcedChanged = false;

  constructor(
    /** False in memory mode: nothing is tracked. */
    readonly tracking: boolean,
    private readonly compile: (definition: string) => CompiledMachine,
  ) {}

  touchExec(x: ExecRec): void {
    if (this.tracking) this.dx.add(x);
  }
  touch(t: Thread): void {
    if (this.tracking) this.dt.add(t);
  }
  putThread(t: Thread): void {
    this.threads.set(t.id, t);
    if (t.p !== undefined) {
      let k = this.kids.get(t.p);
      if (!k) {
        k = [];
        this.kids.set(t.p, k);
      }
      k[t.sl ?? 0] = t;
    }
    this.touch(t);
  }
  /** Removes a finished child from its parent's child index (Distributed Map units). */
  unlink(t: Thread): void {
    const k = t.p === undefined ? undefined : this.kids.get(t.p);
    if (k && k[t.sl ?? 0] === t) delete k[t.sl ?? 0];
  }
  dropThread(t: Thread): void {
    this.threads.delete(t.id);
    this.kids.delete(t.id);
    if (this.tracking) {
      this.dt.delete(t);
      this.dd.push(t.id);
    }
  }
  addEvent(x: ExecRec, ev: HistoryEvent): void {
    let h = this.history.get(x.key);
    if (!h) {
      h = [];
      this.history.set(x.key, h);
    }
    h.push(ev);
    if (this.tracking) this.dh.push([x.key, ev]);
  }
  putMachine(m: Machine): void {
    this.machines.set(m.arn, m);
    this.revisions.set(`${m.arn}#${m.rev ?? 0}`, m);
    if (this.tracking) this.dm = machineRec(m);
  }
  setOffset(ms: number): void {
    this.offset = ms;
    this.dc = true;
  }
  setAnnounced(sequence: number): void {
    if (sequence <= this.announced) return;
    this.announced = sequence;
    this.announcedChanged = this.tracking;
  }
  putExec(x: ExecRec): void {
    this.execs.set(x.arn, x);
    this.execByKey.set(x.key, x);
    if (x.key >= this.nextExecKey) this.nextExecKey = x.key + 1;
    this.touchExec(x);
  }

  /** The changes since the last commit as one JSON line, or null if nothing changed. */
  commit(): string | null {
    if (!this.tracking) return null;
    const rec: Rec = {};
    let any = false;
    if (this.dm) {
      rec.m = this.dm;
      this.dm = null;
      any = true;
    }
    if (this.dc) {
      rec.c = this.offset;
      this.dc = false;
      any = true;
    }
    if (this.dx.size) {
      rec.x = [...this.dx];
      this.dx.clear();
      any = true;
    }
    if (this.dt.size) {
      rec.t = [...this.dt];
      this.dt.clear();
      any = true;
    }
    if (this.dd.length) {
      rec.d = this.dd;
      this.dd = [];
      any = true;
    }
    if (this.dh.length) {
      rec.h = this.dh;
      this.dh = [];
      any = true;
    }
    if (this.announcedChanged) {
      rec.announced = this.announced;
      this.announcedChanged = false;
      any = true;
    }
    return any ? `${JSON.stringify(rec)}\n` : null;
  }

  /** Applies one journal/snapshot record (idempotent). */
  apply(raw: unknown): void {
    const rec = raw as Rec;
    if (rec.m) {
      const key = `${rec.m.arn}#${rec.m.rev ?? 0}`;
      const known = this.revisions.get(key);
      // A revision's definition never changes, so a repeated record reuses the compiled one.
      const m = { ...rec.m, compiled: known?.compiled ?? this.compile(rec.m.definition) };
      this.machines.set(m.arn, m);
      this.revisions.set(key, m);
    }
    if (rec.c !== undefined) this.offset = rec.c;
    if (rec.announced !== undefined) this.announced = Math.max(this.announced, rec.announced);
    for (const x of rec.x ?? []) {
      this.execs.set(x.arn, x);
      this.execByKey.set(x.key, x);
      if (x.key >= this.nextExecKey) this.nextExecKey = x.key + 1;
      if ((x.statusSequence ?? 0) > this.statusSequence) this.statusSequence = x.statusSequence ?? 0;
    }
    for (const t of rec.t ?? []) this.threads.set(t.id, t);
    for (const id of rec.d ?? []) this.threads.delete(id);
    for (const [key, ev] of rec.h ?? []) {
      let h = this.history.get(key);
      if (!h) {
        h = [];
        this.history.set(key, h);
      }
      if (ev.id === h.length + 1) h.push(ev);
    }
  }

  /** After replay: rebuild the derived child index. */
  rebuildIndexes(): void {
    this.kids.clear();
    for (const t of this.threads.values()) {
      if (t.p === undefined) continue;
      let k = this.kids.get(t.p);
      if (!k) {
        k = [];
        this.kids.set(t.p, k);
      }
      k[t.sl ?? 0] = t;
    }
  }

  /**
   * The whole state as journal lines (for compaction), produced lazily: the journal writes it in
   * chunks while the engine keeps running (see Journal.compact for why that is safe).
   */
  *snapshot(): Generator<string> {
    // Older revisions first, the current one last, so replay ends on the current revision.
    for (const m of this.revisions.values()) {
      if (this.machines.get(m.arn) !== m) yield `${JSON.stringify({ m: machineRec(m) })}\n`;
    }
    for (const m of this.machines.values()) yield `${JSON.stringify({ m: machineRec(m) })}\n`;
    yield `${JSON.stringify({ c: this.offset, announced: this.announced })}\n`;
    for (const x of this.execs.values()) {
      const h = (this.history.get(x.key) ?? []).map((e): [number, HistoryEvent] => [x.key, e]);
      yield `${JSON.stringify({ x: [x], h })}\n`;
    }
    let batch: Thread[] = [];
    for (const t of this.threads.values()) {
      batch.push(t);
      if (batch.length === 500) {
        yield `${JSON.stringify({ t: batch })}\n`;
        batch = [];
      }
    }
    if (batch.length) yield `${JSON.stringify({ t: batch })}\n`;
  }
}

function machineRec(m: MachineRec): MachineRec {
  const { arn, name, definition, roleArn, type, created, deleted, rev } = m;
  return { arn, name, definition, roleArn, type, created, deleted, rev };
}
