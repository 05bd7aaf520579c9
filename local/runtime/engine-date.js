/**
 * A `Date` that reads "now" from a function instead of the system clock, for the local runtime's
 * fast-forwarded engine clock (POST /local/clock). Plain JavaScript: the Lambda workers load it
 * before the bundle, without the TypeScript loader (lambda-worker.js), and the main thread gives it to
 * s3rver's signature check (s3-clock.ts). `new Date()`, `Date()` and `Date.now()` follow `now`; every
 * other use (`new Date(ms)`, `Date.parse`, `Date.UTC`, `instanceof Date`, subclasses) is the real Date.
 * A plain function sharing Date's prototype rather than a Proxy: the AWS SDK reads the date on every
 * call, and a Proxy's traps cost on each property read.
 */

/** @param {() => number} now  @returns {DateConstructor} */
function engineDate(now) {
  const RealDate = Date;
  function EngineDate(...args) {
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  }
  EngineDate.prototype = RealDate.prototype;
  EngineDate.now = now;
  EngineDate.parse = RealDate.parse;
  EngineDate.UTC = RealDate.UTC;
  Object.defineProperty(EngineDate, 'name', { value: 'Date' });
  return EngineDate;
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
