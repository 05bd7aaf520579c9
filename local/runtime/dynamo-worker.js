/**
 * The thread dynalite runs in (dynamo-thread.ts starts it). Plain JavaScript that registers the
 * TypeScript loader for this thread only, then loads the store (dynamo-store.ts): a worker does not
 * inherit the loader of a test runner, and `npm start`'s would be loaded twice.
 */
require('tsx/cjs/api').register();
require('./dynamo-store.ts');
