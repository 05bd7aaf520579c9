/**
 * dynalite reads an item (every GetItem, and every write's condition and old image) with LevelDB's
 * asynchronous get: classic-level takes a snapshot on the calling thread, queues the read on libuv's
 * thread pool (four threads for the whole process) and resolves on a later turn of the caller's loop.
 * With the Lambda environments keeping both cores busy, each such hand-off waits to be scheduled: in
 * bench:local, `_get` was 29% of the DynamoDB thread's busy time (--cpu-prof), ~0.8 ms a read where the
 * read itself takes ~20 µs. dynalite has a thread of its own (dynamo-thread.ts), so it may as well read
 * there (with LOCAL_DYNAMO_THREAD=off, on the main thread: ~20 µs of its loop a read): `getSync`
 * (abstract-level 3) reads the same item at the same point, and handing it back in a Promise keeps
 * dynalite's callbacks in the same order. A database not open yet takes the asynchronous get, which waits
 * for the open.
 */
import { createRequire } from 'node:module';

interface LevelPrototype {
  status: string;
  get(key: unknown, options?: unknown): Promise<unknown>;
  getSync(key: unknown, options?: unknown): unknown;
}

/** classic-level's class as dynalite loads it (through `level`): the one whose get this changes. */
export function classicLevel(): { prototype: LevelPrototype } {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const fromLevel = createRequire(fromDynalite.resolve('level'));
  return fromLevel('classic-level').ClassicLevel;
}

/**
 * Runs `create` (dynalite's constructor) with classic-level's get reading synchronously. dynalite binds
 * the get of its database as it creates it, so that database keeps the synchronous one; the prototype is
 * restored after, and no other database of the process changes.
 */
export function withSynchronousGets<T>(create: () => T): T {
  const proto = classicLevel().prototype;
  const asyncGet = proto.get;
  proto.get = function (this: LevelPrototype, key: unknown, options?: unknown) {
    if (this.status !== 'open') return asyncGet.call(this, key, options);
    try {
      return Promise.resolve(this.getSync(key, options));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  try {
    return create();
  } finally {
    proto.get = asyncGet;
  }
}
