/**
 * A snapshot being written: lines go to `snapshot.N.jsonl.tmp` and get their Locations in the
 * final file; `finish` makes the file durable and renames it into place, which is the moment
 * generation N's snapshot starts to count.
 */
import * as fs from 'node:fs';
import { fileName, type Location, snapshotFileId, syncDirectory } from './journal-files';

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

  get buffered(): number {
    return this.chunkBytes;
  }

  async flush(): Promise<void> {
    const data = Buffer.concat(this.chunk);
    this.chunk = [];
    this.chunkBytes = 0;
    await new Promise<void>((resolve, reject) => {
      const step = (done: number) => {
        if (done >= data.length) return resolve();
        fs.write(this.fd, data, done, data.length - done, null, (e, n) => (e ? reject(e) : step(done + n)));
      };
      step(0);
    });
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
