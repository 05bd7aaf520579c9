/**
 * The thread dynalite runs in (dynamo-thread.ts starts it). Plain JavaScript that registers the
 * TypeScript loader for this thread only (a worker does not inherit a test runner's loader, and
 * `npm start`'s would be loaded twice), then serves the store (dynamo-store.ts) over the message port.
 */
require('tsx/cjs/api').register();
const { parentPort, workerData } = require('node:worker_threads');
const { getHeapStatistics } = require('node:v8');
const { openStore } = require('./dynamo-store.ts');
const { ownThreadCpuMs } = require('./thread-cpu.ts');

/** This thread's own isolate (process.memoryUsage's rss is the whole process's), and its own CPU. */
function stats() {
  const h = getHeapStatistics();
  return { used: h.used_heap_size, total: h.total_heap_size, cpuMs: ownThreadCpuMs() };
}

openStore(workerData.path).then((store) => {
  parentPort.on('message', (m) => {
    if (m.type === 'close') store.close().then(() => parentPort.postMessage({ type: 'closed' }));
    else if (m.type === 'stats') parentPort.postMessage({ type: 'stats', ...stats() });
    else store.serve(m).then((reply) => parentPort.postMessage({ type: 'reply', id: m.id, ...reply }));
  });
  parentPort.postMessage({ type: 'ready' });
});
