/**
 * s3rver on the engine clock. s3rver judges a signed request's time with `new Date()`: a header
 * signature more than 15 minutes from "now" is RequestTimeTooSkewed, a presigned URL past its
 * X-Amz-Expires is "Request has expired". The functions sign with the engine clock (clock.ts), so
 * after a fast-forward s3rver must read the same clock, or every S3 call of a function would be
 * refused, and a presigned URL would expire by real time rather than the time the function gave it.
 * Only that module gets the engine's Date (compiled here with `Date` as one more parameter of its
 * CommonJS wrapper); the rest of s3rver and the main thread keep the real one.
 */
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction } from 'node:vm';

const { engineDate } = createRequire(__filename)('./engine-date.js') as {
  engineDate: (now: () => number) => DateConstructor;
};

/** The clock of the runtime that started s3rver last (one per process in practice). */
let current: () => number = () => Date.now();
let compiled = false;

export function setS3Clock(now: () => number): void {
  current = now;
  const require = createRequire(__filename);
  const file = require.resolve('s3rver/lib/middleware/authentication');
  // Compiled once per process; later runtimes only change `current`. (Had s3rver been loaded before
  // without a clock, it keeps real time: nothing in the runtime loads it that way.)
  if (compiled || require.cache[file]) return;
  compiled = true;
  const wrapper = compileFunction(
    readFileSync(file, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname', 'Date'],
    { filename: file },
  );
  const loaded = new Module(file);
  loaded.filename = file;
  wrapper.call(
    loaded.exports,
    loaded.exports,
    createRequire(file),
    loaded,
    file,
    dirname(file),
    engineDate(() => current()),
  );
  loaded.loaded = true;
  require.cache[file] = loaded;
}
