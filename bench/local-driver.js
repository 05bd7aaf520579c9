// Starts bench/local-driver.ts in its worker thread with the TypeScript loader of this thread only.
require('tsx/cjs/api').register();
require('./local-driver.ts');
