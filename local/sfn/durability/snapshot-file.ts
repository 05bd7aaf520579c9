/**
 * A snapshot being written: lines go to `snapshot.N.jsonl.tmp` and get their Locations in the
 * final file; `finish` makes the file durable and renames it into place, which is the moment
 * generation N's snapshot starts to count.
 */
import * as fs from 'node:fs';
import { fileName, type Location, snapshotFileId, syncDirectory } from './journal-files';

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
    this.fd = fs.openSync(`${this.path}.tmp`, 'w');
  }

  /** Adds a line (without its newline) and returns where it will be. */
  add(text: string): Location {
    const length = Buffer.byteLength(text, 'utf8');
    const location: Location = [this.fileId, this.bytes, length];
    if (this.fits(length)) this.endLine(this.staging.write(text, this.staged, 'utf8'));
    else this.addLong(Buffer.from(text, 'utf8'));
    return location;
  }

  /**
   * add, for a line's bytes (without its newline) copied from another file. Copied, whatever its
   * size: `line` may be a view on a whole block read from the journal, which it would keep alive.
   * Copied into the block being filled: a buffer of its own per line (and a newline after it) made
   * a compaction take about a quarter longer.
   */
  addBytes(line: Buffer): Location {
    const location: Location = [this.fileId, this.bytes, line.length];
    if (this.fits(line.length)) this.endLine(line.copy(this.staging, this.staged));
    else this.addLong(Buffer.from(line));
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

  /** Writes the buffered lines as they are (one writev, no copy into one buffer). */
  async flush(): Promise<void> {
    this.seal();
    let buffers = this.chunk;
    this.chunk = [];
    this.chunkBytes = 0;
    while (buffers.length) {
      // writev takes at most IOV_MAX (1024) buffers per call and may write less than given.
      const batch = buffers.slice(0, 1024);
      const written = await new Promise<number>((resolve, reject) =>
        fs.writev(this.fd, batch, (e, n) => (e ? reject(e) : resolve(n))),
      );
      buffers = rest(buffers, written);
    }
  }

  flushSync(): void {
    this.seal();
    fs.writeSync(this.fd, Buffer.concat(this.chunk));
    this.chunk = [];
    this.chunkBytes = 0;
  }

  /** fsync, rename into place, fsync the directory: from here on the snapshot counts. */
  commitSync(): void {
    this.flushSync();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(`${this.path}.tmp`, this.path);
    syncDirectory(this.path.slice(0, this.path.lastIndexOf('/')));
  }

  async syncData(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => fs.fsync(this.fd, (e) => (e ? reject(e) : resolve())));
  }

  abandon(): void {
    fs.closeSync(this.fd);
    fs.rmSync(`${this.path}.tmp`, { force: true });
  }
}

/** The buffers left once the first `bytes` bytes of `buffers` are written. */
function rest(buffers: Buffer[], bytes: number): Buffer[] {
  let i = 0;
  let left = bytes;
  while (i < buffers.length && left >= (buffers[i] as Buffer).length) left -= (buffers[i++] as Buffer).length;
  const remaining = buffers.slice(i);
  if (left > 0 && remaining.length) remaining[0] = (remaining[0] as Buffer).subarray(left);
  return remaining;
}
