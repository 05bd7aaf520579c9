/**
 * Where dynalite runs (dynamo-store.ts): in a thread of its own (the default), or on the main thread
 * (LOCAL_DYNAMO_THREAD=off). Either way the endpoint (dynamo.ts) sends it each request it let through
 * and answers with the reply. If the thread dies, every request waiting on it fails (the endpoint
 * answers 500, which the SDKs retry) with the reason.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Consumed } from './capacity';
import { openStore, type StoreReply, type StoreRequest } from './dynamo-store';

export interface DynamoStore {
  send(request: StoreRequest): Promise<StoreReply>;
  consumed(): Consumed;
  /** The thread's heap (bytes) and CPU, for benchmarks; undefined when dynalite runs on the main thread. */
  stats(): Promise<ThreadStats | undefined>;
  stop(): Promise<void>;
}

export interface ThreadStats {
  /** Its own isolate's heap, bytes. */
  used: number;
  total: number;
  /** Its own CPU time so far, ms (undefined without /proc). */
  cpuMs: number | undefined;
}

/** LOCAL_DYNAMO_THREAD: on (the default) or off. */
export function dynamoThreadSetting(value = process.env.LOCAL_DYNAMO_THREAD): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`LOCAL_DYNAMO_THREAD must be on or off ('${value}')`);
}

export async function startDynamoStore(path: string | undefined, thread = true): Promise<DynamoStore> {
  const totals: Consumed = { readUnits: 0, writeUnits: 0 };
  const count = (reply: StoreReply) => {
    totals.readUnits = reply.readUnits;
    totals.writeUnits = reply.writeUnits;
    return reply;
  };
  if (!thread) {
    const store = await openStore(path);
    return {
      send: async (request) => count(await store.serve(request)),
      consumed: () => ({ ...totals }),
      stats: async () => undefined,
      stop: () => store.close(),
    };
  }
  return startThread(path, count, totals);
}

type Message =
  | (StoreReply & { type: 'reply'; id: number })
  | { type: 'ready' }
  | { type: 'closed' }
  | (ThreadStats & { type: 'stats' });

async function startThread(
  path: string | undefined,
  count: (reply: StoreReply) => StoreReply,
  totals: Consumed,
): Promise<DynamoStore> {
  const worker = new Worker(join(__dirname, 'dynamo-worker.js'), {
    workerData: { path },
    // Its own loader (dynamo-worker.js), not the host's (tsx, a test runner's).
    execArgv: [],
  });
  const waiting = new Map<number, { ok: (r: StoreReply) => void; fail: (e: Error) => void }>();
  let next = 0;
  let gone: Error | undefined;
  let closed: (() => void) | undefined;
  const statsAsked: ((stats: ThreadStats | undefined) => void)[] = [];
  await new Promise<void>((ok, fail) => {
    worker.on('message', (m: Message) => {
      if (m.type === 'ready') return ok();
      if (m.type === 'closed') return closed?.();
      if (m.type === 'stats') return statsAsked.shift()?.({ used: m.used, total: m.total, cpuMs: m.cpuMs });
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      w?.ok(count(m));
    });
    const down = (e: Error) => {
      gone = e;
      fail(e);
      for (const w of waiting.values()) w.fail(e);
      waiting.clear();
      for (const asked of statsAsked.splice(0)) asked(undefined);
      closed?.();
    };
    worker.on('error', down);
    worker.on('exit', (code) => down(new Error(`the DynamoDB thread exited (${code})`)));
  });
  return {
    send(request) {
      if (gone) return Promise.reject(gone);
      const id = next++;
      return new Promise((ok, fail) => {
        waiting.set(id, { ok, fail });
        worker.postMessage({ id, ...request });
      });
    },
    consumed: () => ({ ...totals }),
    stats() {
      if (gone) return Promise.resolve(undefined);
      return new Promise((ok) => {
        statsAsked.push(ok);
        worker.postMessage({ type: 'stats' });
      });
    },
    async stop() {
      if (gone) return;
      await new Promise<void>((ok) => {
        closed = ok;
        worker.postMessage({ type: 'close' });
      });
      await worker.terminate();
    },
  };
}
