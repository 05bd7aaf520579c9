/**
 * The thread dynalite runs in (dynamo-thread.ts starts it). Plain JavaScript that registers the
 * TypeScript loader for this thread only (a worker does not inherit a test runner's loader, and
 * `npm start`'s would be loaded twice), then serves the store (dynamo-store.ts) over the message port.
 */
require('tsx/cjs/api').register();
const { parentPort, workerData } = require('node:worker_threads');
const { openStore } = require('./dynamo-store.ts');

openStore(workerData.path).then((store) => {
  parentPort.on('message', (m) => {
    if (m.type === 'close') store.close().then(() => parentPort.postMessage({ type: 'closed' }));
    else store.serve(m).then((reply) => parentPort.postMessage({ type: 'reply', id: m.id, ...reply }));
  });
  parentPort.postMessage({ type: 'ready' });
});
