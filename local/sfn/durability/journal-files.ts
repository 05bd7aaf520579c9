/**
 * The journal's files. Generation N is `snapshot.N.jsonl` (the complete state when N began,
 * written to a temp file and renamed) plus `journal.N.log` (every record after that). A line's
 * place on disk is a Location: file id (generation * 2, +1 for the snapshot), byte offset and
 * length, so a record can be read back without reading anything else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Location = [fileId: number, offset: number, length: number];

export const journalFileId = (generation: number) => generation * 2;
export const snapshotFileId = (generation: number) => generation * 2 + 1;
export const generationOf = (fileId: number) => Math.floor(fileId / 2);

export function fileName(dir: string, fileId: number): string {
  const generation = generationOf(fileId);
  return path.join(dir, fileId % 2 === 1 ? `snapshot.${generation}.jsonl` : `journal.${generation}.log`);
}

/** The generations present in `dir`: snapshot and journal generation numbers, ascending. */
export function generations(dir: string): { snapshots: number[]; journals: number[] } {
  const names = fs.readdirSync(dir);
  const numbers = (pattern: RegExp) =>
    names
      .map((n) => pattern.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  return { snapshots: numbers(/^snapshot\.(\d+)\.jsonl$/), journals: numbers(/^journal\.(\d+)\.log$/) };
}

/** A complete line of a file being replayed: its bytes are `bytes[start, end)`. */
export interface RawLine {
  bytes: Buffer;
  start: number;
  end: number;
  location: Location;
}

const CHUNK = 8 << 20;

/**
 * Calls `visit` for every complete line of the file, in order, reading it in chunks. Stops at a
 * torn last line (a crash mid-write leaves one without its newline) or where `visit` returns
 * false; returns the byte length of the valid prefix.
 */
export function forEachLine(file: string, fileId: number, visit: (line: RawLine) => boolean): number {
  const fd = fs.openSync(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    /** File offsets of `carry`'s first byte and of the next read. */
    let base = 0;
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(fd, chunk, 0, CHUNK, position);
      if (n === 0) return base;
      position += n;
      const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
        if (end > start && !visit({ bytes, start, end, location: [fileId, base + start, end - start] })) {
          return base + start;
        }
        start = end + 1;
      }
      carry = Buffer.from(bytes.subarray(start));
      base += start;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

export const fdatasync = (fd: number) =>
  new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));

/**
 * A journal line not written yet: where it will be, its text (with the newline) and its length
 * in bytes. Kept as text until the writer encodes a whole batch at once: one buffer per batch,
 * not one per line.
 */
export interface Line {
  fileId: number;
  offset: number;
  text: string;
  length: number;
}

/** The line at (fileId, offset) in a list ordered by place. */
export function find(lines: Line[], fileId: number, offset: number): Line | undefined {
  let low = 0;
  let high = lines.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const line = lines[mid] as Line;
    const order = line.fileId - fileId || line.offset - offset;
    if (order === 0) return line;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/**
 * Writes the lines in order, each run of lines of one file to that file (`fdOf`): a switch of
 * generation leaves the old one's last lines before the new one's. Returns the descriptors
 * written to.
 *
 * Synchronous on purpose: a batch is one write into the page cache (tens of microseconds), and
 * the journal's fdatasync can then go to the thread pool at once. An asynchronous write would
 * hand the fdatasync out only when the event loop next gets to the write's callback, that is
 * after the tick running meanwhile, so that tick's CPU could not overlap the fsync.
 */
export function writeByFile(lines: Line[], fdOf: (fileId: number) => number): Set<number> {
  const fds = new Set<number>();
  for (let i = 0; i < lines.length; ) {
    const fileId = (lines[i] as Line).fileId;
    let j = i;
    while (j < lines.length && (lines[j] as Line).fileId === fileId) j++;
    const fd = fdOf(fileId);
    writeLines(fd, lines, i, j);
    fds.add(fd);
    i = j;
  }
  return fds;
}

/** Writes lines[from, to), in order, at the end of `fd`. */
export function writeLines(fd: number, lines: Line[], from: number, to: number): void {
  // Each line's byte length is known (append measured it): encode them straight into one
  // buffer rather than joining the texts first, which V8 would flatten into one more copy.
  let size = 0;
  for (let i = from; i < to; i++) size += (lines[i] as Line).length;
  const data = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = from; i < to; i++) at += data.write((lines[i] as Line).text, at, 'utf8');
  if (at !== size) throw new Error(`journal lines encode to ${at} bytes, not ${size}`);
  for (let done = 0; done < size; ) done += fs.writeSync(fd, data, done, size - done, null);
}
