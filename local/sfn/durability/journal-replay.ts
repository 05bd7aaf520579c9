/**
 * Recovery's reading of the journal directory: the newest snapshot K, then journals K, K+1, ...
 * in order, each line offered to `visit`. A torn last line (a crash mid-write) is cut off, so that
 * new appends start on a clean line.
 */
import * as fs from 'node:fs';
import {
  fileName,
  forEachLine,
  generations,
  journalFileId,
  type RawLine,
  snapshotFileId,
} from './journal-files';

/** Replays `dir` through `visit` (false = the line is not valid: stop); returns where to go on. */
export function replayDirectory(
  dir: string,
  visit: (line: RawLine) => boolean,
): { generation: number; snapshotBytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  const { snapshots, journals } = generations(dir);
  const base = snapshots.at(-1) ?? 0;
  let snapshotBytes = 0;
  if (snapshots.length)
    snapshotBytes = forEachLine(fileName(dir, snapshotFileId(base)), snapshotFileId(base), visit);
  const replayed = journals.filter((g) => g >= base);
  let valid = 0;
  for (const g of replayed) valid = forEachLine(fileName(dir, journalFileId(g)), journalFileId(g), visit);
  const generation = replayed.at(-1) ?? base;
  if (replayed.length) fs.truncateSync(fileName(dir, journalFileId(generation)), valid);
  return { generation, snapshotBytes };
}
