/**
 * The heap at rest, for the engine's memory tests: after a few event-loop turns and full
 * collections, so what is left is what the engine keeps; with the bytes of ArrayBuffers (Buffers,
 * typed arrays), which live outside the heap and would otherwise hide what is kept in them.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export async function heapAtRest(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 20));
    gc();
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
