/**
 * dynalite reads a Query's or Scan's items through a stream over a LevelDB iterator, and when the
 * stream ends (or the Limit stops it early) it closes the iterator by calling `iterator.return()`
 * if there is one (dynalite db/index.js, createValueStream). abstract-level 3's iterators (what
 * classic-level and memory-level give) have `close()` and no `return()`, so no iterator was ever
 * closed. An open LevelDB iterator pins the version of the database it started on: the table files
 * compaction has since replaced stay mapped in memory (and on disk, deleted), and the database keeps
 * the iterator among its resources until it closes. bench:round at 10,000 cases: 1.2 GB of resident
 * file-backed pages, growing with every request. Giving the iterators a `return()` that closes them
 * lets dynalite do what it means to.
 */
import { createRequire } from 'node:module';

interface IteratorClass {
  prototype: { close(): Promise<void>; return?: () => Promise<{ done: true; value: undefined }> };
}

/** abstract-level as each of dynalite's two backends (on disk, in memory) loads it. */
function abstractLevels(): Record<string, IteratorClass>[] {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const found = new Set<Record<string, IteratorClass>>();
  for (const backend of ['classic-level', 'memory-level'])
    found.add(createRequire(fromDynalite.resolve(backend))('abstract-level'));
  return [...found];
}

let done = false;

/** Gives abstract-level's iterators the `return()` dynalite calls to close them (once per process or thread). */
export function closeLevelIteratorsOnReturn(): void {
  if (done) return;
  done = true;
  for (const level of abstractLevels())
    for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
      const proto = level[name]?.prototype;
      // A later abstract-level with a `return()` of its own keeps it.
      if (!proto || 'return' in proto) continue;
      proto.return = async function (this: IteratorClass['prototype']) {
        await this.close();
        return { done: true, value: undefined };
      };
    }
}
