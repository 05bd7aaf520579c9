/**
 * The main thread's side of the DynamoDB thread (dynamo-store.ts): starts it, sends it each request
 * the endpoint let through, and settles the request with its reply. If the thread dies, every request
 * waiting on it fails (the endpoint answers 500, which the SDKs retry) and the runtime logs why.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Consumed } from './capacity';
import type { StoreReply, StoreRequest } from './dynamo-store';

export interface DynamoThread {
  send(request: Omit<StoreRequest, 'type' | 'id'>): Promise<StoreReply>;
  consumed(): Consumed;
  stop(): Promise<void>;
}

export async function startDynamoThread(path: string | undefined): Promise<DynamoThread> {
  const worker = new Worker(join(__dirname, 'dynamo-worker.js'), {
    workerData: { path },
    // Its own loader (dynamo-worker.js), not the host's (tsx, a test runner's).
    execArgv: [],
  });
  const waiting = new Map<number, { ok: (r: StoreReply) => void; fail: (e: Error) => void }>();
  let next = 0;
  let gone: Error | undefined;
  const totals: Consumed = { readUnits: 0, writeUnits: 0 };
  let closed: (() => void) | undefined;
  const ready = new Promise<void>((ok, fail) => {
    worker.on('message', (m: StoreReply | { type: 'ready' } | { type: 'closed' }) => {
      if (m.type === 'ready') return ok();
      if (m.type === 'closed') return closed?.();
      totals.readUnits = m.readUnits;
      totals.writeUnits = m.writeUnits;
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      w?.ok(m);
    });
    const down = (e: Error) => {
      gone = e;
      fail(e);
      for (const w of waiting.values()) w.fail(e);
      waiting.clear();
      closed?.();
    };
    worker.on('error', down);
    worker.on('exit', (code) => down(new Error(`the DynamoDB thread exited (${code})`)));
  });
  await ready;
  return {
    send(request) {
      if (gone) return Promise.reject(gone);
      const id = next++;
      return new Promise((ok, fail) => {
        waiting.set(id, { ok, fail });
        worker.postMessage({ type: 'request', id, ...request } satisfies StoreRequest);
      });
    },
    consumed: () => ({ ...totals }),
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
