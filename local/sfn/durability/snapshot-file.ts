/**
 * A snapshot written on the engine's thread, as a legacy journal's migration does (snapshot.ts;
 * a compaction's goes through snapshot-plan.ts and its own thread): lines go to
 * `snapshot.N.jsonl.tmp` and get their Locations in the final file; `commitSync` makes the file
 * durable and renames it into place, which is the moment generation N's snapshot starts to count.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { fileName, type Location, snapshotFileId, syncDirectory } from './journal-files';

/** Where the snapshot at `path` is written until it counts. */
export const pendingPath = (path: string) => `${path}.tmp`;

/**
 * Renames the written and fsynced `pendingPath(path)` into place and fsyncs the directory: from
 * here on generation N's snapshot counts. Both ways of writing one end here.
 */
export function placeSnapshot(path: string): void {
  fs.renameSync(pendingPath(path), path);
  syncDirectory(dirname(path));
}

/** Lines are copied into blocks of this size (a line longer than that gets a buffer of its own). */
const STAGING_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const NEWLINE_BYTES = Buffer.from('\n');

export class SnapshotFile {
  readonly fileId: number;
  private readonly path: string;
  private readonly fd: number;
  /** Filled blocks, and the lines longer than a block, in file order, not written yet. */
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  /** The block being filled, and how far. */
  private staging = Buffer.allocUnsafe(STAGING_BYTES);
  private staged = 0;
  /** Bytes written or buffered so far. */
  bytes = 0;

  constructor(dir: string, generation: number) {
    this.fileId = snapshotFileId(generation);
    this.path = fileName(dir, this.fileId);
    this.fd = fs.openSync(pendingPath(this.path), 'w');
  }

  /** Adds a line (without its newline) and returns where it will be. */
  add(text: string): Location {
    const length = Buffer.byteLength(text, 'utf8');
    const location: Location = [this.fileId, this.bytes, length];
    if (this.fits(length)) this.endLine(this.staging.write(text, this.staged, 'utf8'));
    else this.addLong(Buffer.from(text, 'utf8'));
    return location;
  }

  /** Whether a line of `length` bytes and its newline fit in the block (a new one, if need be). */
  private fits(length: number): boolean {
    if (this.staged + length + 1 > STAGING_BYTES) this.seal();
    return length + 1 <= STAGING_BYTES;
  }

  /** A line of `length` bytes was copied into the block: its newline follows it there. */
  private endLine(length: number): void {
    this.staging[this.staged + length] = NEWLINE;
    this.staged += length + 1;
    this.bytes += length + 1;
  }

  /** A line longer than a block: a buffer of its own, after the block so far. */
  private addLong(bytes: Buffer): void {
    this.chunk.push(bytes, NEWLINE_BYTES);
    this.chunkBytes += bytes.length + 1;
    this.bytes += bytes.length + 1;
  }

  /** Moves the filled part of the block to the chunk; the next line starts a new block. */
  private seal(): void {
    if (this.staged === 0) return;
    this.chunk.push(this.staging.subarray(0, this.staged));
    this.chunkBytes += this.staged;
    this.staging = Buffer.allocUnsafe(STAGING_BYTES);
    this.staged = 0;
  }

  get buffered(): number {
    return this.chunkBytes + this.staged;
  }

  flushSync(): void {
    this.seal();
    fs.writeSync(this.fd, Buffer.concat(this.chunk));
    this.chunk = [];
    this.chunkBytes = 0;
  }

  /** fsync, then place it (placeSnapshot): from here on the snapshot counts. */
  commitSync(): void {
    this.flushSync();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    placeSnapshot(this.path);
  }
}
