import { afterAll, beforeAll } from 'vitest';
import { loadCatalogue } from './forms';
import { LocalSystem, prepareAssembly } from './harness';

/**
 * One local runtime per test file: started (with the catalogue loaded) before its tests, disposed
 * after them. `ready` receives the started runtime.
 */
export function withLocalSystem(ready: (sys: LocalSystem) => void): void {
  let sys: LocalSystem | undefined;
  beforeAll(async () => {
    await prepareAssembly();
    sys = await LocalSystem.start();
    await loadCatalogue(sys);
    ready(sys);
  }, 300_000);
  afterAll(async () => {
    await sys?.dispose();
  });
}
