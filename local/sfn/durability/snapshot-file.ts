/**
 * A snapshot being written: lines go to `snapshot.N.jsonl.tmp` and get their Locations in the
 * final file; `finish` makes the file durable and renames it into place, which is the moment
 * generation N's snapshot starts to count.
 */
import * as fs from 'node:fs';
import { fileName, type Location, snapshotFileId, syncDirectory } from './journal-files';

const NEWLINE = Buffer.from('\n');

export class SnapshotFile {
  readonly fileId: number;
  private readonly path: string;
  private readonly fd: number;
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  /** Bytes written or buffered so far. */
  bytes = 0;

  constructor(dir: string, generation: number) {
    this.fileId = snapshotFileId(generation);
    this.path = fileName(dir, this.fileId);
    this.fd = fs.openSync(`${this.path}.tmp`, 'w');
  }

  /** Adds a line (without its newline) and returns where it will be. */
  add(text: string): Location {
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    const location: Location = [this.fileId, this.bytes, bytes.length - 1];
    this.chunk.push(bytes);
    this.chunkBytes += bytes.length;
    this.bytes += bytes.length;
    return location;
  }

  /** add, for a line's bytes (without its newline) copied from another file. */
  addBytes(line: Buffer): Location {
    const location: Location = [this.fileId, this.bytes, line.length];
    // A copy: `line` may be a view on a whole block read from the journal, which it would keep alive.
    this.chunk.push(Buffer.from(line), NEWLINE);
    this.chunkBytes += line.length + 1;
    this.bytes += line.length + 1;
    return location;
  }

  get buffered(): number {
    return this.chunkBytes;
  }

  /** Writes the buffered lines as they are (one writev, no copy into one buffer). */
  async flush(): Promise<void> {
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
