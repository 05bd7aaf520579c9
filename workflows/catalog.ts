import type { Service } from './schema';

// The services the runtime knows, as plain data. A Lambda bundle gets them at build time as a string of
// JSON, already normalized (COPRODUCE_SERVICES, defined by lib/constructs/handler-function.ts): V8 parses
// JSON faster than the same object literals, nothing is left to normalize at init, and the sources stay
// out of the bundle. That takes about 4.3 M instructions off the cold start of every function that reads
// the catalog (`npm run bench:coldstart:instructions`). The tests define it the same way
// (vitest.config.mts); synth and scripts, where nothing defines it, read the sources (sources.ts).

declare const COPRODUCE_SERVICES: string | undefined;

// Indexed and for-in loops rather than Object.values, which allocates an array per object: at init
// that halves what freezing the catalog costs (2.5 M instructions down to 1.4 M).
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key in value) deepFreeze(value[key]);
  return Object.freeze(value);
}

// A require in the branch, not an import: where COPRODUCE_SERVICES is defined, esbuild drops the branch
// and with it everything the sources import.
export const services: readonly Service[] = deepFreeze(
  typeof COPRODUCE_SERVICES === 'string'
    ? (JSON.parse(COPRODUCE_SERVICES) as Service[])
    : (require('./sources') as typeof import('./sources')).serviceSources(),
);

const byId = new Map(services.map((s) => [s.id, s]));

export function findService(id: string): Service | undefined {
  return byId.get(id);
}
