/**
 * A `Date` that reads "now" from a function instead of the system clock, for the local runtime's
 * fast-forwarded engine clock (POST /local/clock). Plain JavaScript: the Lambda workers load it
 * before the bundle, without the TypeScript loader (lambda-worker.js), and the main thread gives it to
 * s3rver's signature check (s3-clock.ts). `new Date()`, `Date()` and `Date.now()` follow `now`; every
 * other use (`new Date(ms)`, `Date.parse`, `Date.UTC`, `instanceof Date`, subclasses) is the real Date.
 */

/** @param {() => number} now  @returns {DateConstructor} */
function engineDate(now) {
  const RealDate = Date;
  return new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, property, receiver) {
      if (property === 'now') return now;
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * The engine's offset (ms) as the main thread publishes it: one 64-bit integer in shared memory,
 * read with Atomics on every call, so a worker sees a fast-forward at once, with no message between.
 * @param {SharedArrayBuffer} buffer
 */
function sharedOffset(buffer) {
  const view = new BigInt64Array(buffer);
  return () => Number(Atomics.load(view, 0));
}

module.exports = { engineDate, sharedOffset };
