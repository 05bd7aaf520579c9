/** Threads and Distributed Map runs in the journal's short-key record format (journal-codec.ts). */
import type { Thread } from '../interpreter/execution';
import type { MapRun } from '../interpreter/execution-records';
import type { StoredThread } from './journal-codec';

export function encodeThread(t: Thread): StoredThread {
  const m = t.mapRun;
  return {
    id: t.id,
    x: t.executionKey,
    g: t.graph,
    s: t.state,
    in: t.input,
    ph: t.phase === 'children' ? 'kids' : t.phase,
    en: t.enteredAt,
    rc: t.retryCount,
    ra: t.retryAttempts,
    due: t.dueAt,
    out: t.output,
    tok: t.taskToken,
    sub: t.submitted,
    to: t.timeoutAt,
    hb: t.heartbeatAt,
    hs: t.heartbeatSeconds,
    at: t.attempt,
    p: t.parentId,
    sl: t.slot,
    mi: t.mapIndex,
    items: t.items,
    eff: t.effectiveInput,
    le: t.lastEventId,
    ev: t.enteredEventId,
    mr: m && {
      arn: m.arn,
      n: m.unitsLaunched,
      run: m.unitsRunning,
      rd: m.itemsRead,
      ok: m.itemsSucceeded,
      nf: m.itemsFailed,
      eof: m.readerDone,
      src: m.source && { b: m.source.bucket, k: m.source.key },
      bi: m.batchInput,
      res: m.results,
      rb: m.resultBytes,
    },
    q: t.quiet,
  };
}

export function decodeThread(s: StoredThread): Thread {
  const m = s.mr;
  const mapRun: MapRun | undefined = m && {
    arn: m.arn,
    unitsLaunched: m.n,
    unitsRunning: m.run,
    itemsRead: m.rd,
    itemsSucceeded: m.ok,
    itemsFailed: m.nf,
    readerDone: m.eof,
    source: m.src && { bucket: m.src.b, key: m.src.k },
    batchInput: m.bi,
    results: m.res,
    resultBytes: m.rb,
  };
  return {
    id: s.id,
    executionKey: s.x,
    graph: s.g,
    state: s.s,
    input: s.in,
    phase: s.ph === 'kids' ? 'children' : s.ph,
    enteredAt: s.en,
    retryCount: s.rc,
    retryAttempts: s.ra,
    dueAt: s.due,
    output: s.out,
    taskToken: s.tok,
    submitted: s.sub,
    timeoutAt: s.to,
    heartbeatAt: s.hb,
    heartbeatSeconds: s.hs,
    attempt: s.at,
    parentId: s.p,
    slot: s.sl,
    mapIndex: s.mi,
    items: s.items,
    effectiveInput: s.eff,
    lastEventId: s.le,
    enteredEventId: s.ev,
    mapRun,
    quiet: s.q,
  };
}
