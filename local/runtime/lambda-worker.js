/**
 * The inside of one local Lambda execution environment: a worker thread with the function's own
 * environment variables (process.env here is the worker's copy), its own module instance and a heap
 * the size of the function's memory. It loads the bundle once (the Init phase) and then runs one
 * invocation at a time, as Lambda does; the runtime terminates it when an invocation times out.
 * Plain JavaScript: a worker starts without the TypeScript loader, so it costs no more than Lambda's.
 */

const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { getHeapStatistics } = require('node:v8');

const { engineDate, sharedOffset } = require('./engine-date.js');

const { file, exportName, functionName, functionArn, memoryMb, sourceMaps, clock } = workerData;
if (sourceMaps) process.setSourceMapsEnabled(true);

// The function lives on the engine clock (clock.ts): installed before the bundle loads, so a module
// that keeps a reference to Date gets this one too. The remaining time stays on real time: the
// runtime's timeout timer runs on it.
const realNow = Date.now;
if (clock) {
  const offset = sharedOffset(clock);
  globalThis.Date = engineDate(() => realNow() + offset());
  Object.defineProperty(globalThis.Date.prototype, 'constructor', { value: globalThis.Date });
}

function errorOf(e) {
  const error = e instanceof Error ? e : new Error(String(e));
  return {
    errorType: error.name || 'Error',
    errorMessage: error.message,
    trace: String(error.stack || '').split('\n'),
  };
}

// The heap's own statistics, not process.memoryUsage(): that also reads the process's RSS from /proc,
// a system call on every invocation for a figure not used here.
function memoryUsedMb() {
  const h = getHeapStatistics();
  return Math.round((h.used_heap_size + h.external_memory) / 2 ** 20);
}

let handler;
const started = performance.now();
try {
  const loaded = require(file)[exportName];
  if (typeof loaded !== 'function') {
    const error = new Error(`${file} exports no function ${exportName}`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  handler = loaded;
  parentPort.postMessage({ type: 'ready', initMs: performance.now() - started });
} catch (e) {
  parentPort.postMessage({ type: 'init-error', error: errorOf(e) });
}

async function invoke(message) {
  const { requestId, event, deadline, traceId, delayMs } = message;
  process.env._X_AMZN_TRACE_ID = traceId;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${functionName}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - realNow()),
  };
  try {
    // An injected delay (POST /local/faults delayMs): time spent as if waiting on a slow dependency.
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const result = await new Promise((ok, fail) => {
      const done = (error, value) => (error ? fail(error) : ok(value));
      const out =
        handler.length >= 3 ? handler(JSON.parse(event), context, done) : handler(JSON.parse(event), context);
      if (out && typeof out.then === 'function') out.then(ok, fail);
      else if (handler.length < 3) ok(out);
    });
    const json = result === undefined ? 'null' : JSON.stringify(result);
    parentPort.postMessage({ type: 'result', requestId, json, memoryMb: memoryUsedMb() });
  } catch (e) {
    parentPort.postMessage({ type: 'error', requestId, error: errorOf(e), memoryMb: memoryUsedMb() });
  }
}

parentPort.on('message', (message) => {
  if (message.type === 'invoke') void invoke(message);
});
