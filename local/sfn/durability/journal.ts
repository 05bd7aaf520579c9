/**
 * Append-only journal with group commit. Records are JSON lines appended to an in-memory buffer;
 * one writer loop writes the whole buffer and fdatasyncs it, so many executions share one fsync.
 *
 * Files live in generations: `snapshot.N.jsonl` (complete state when generation N began,
 * written to a temp file and renamed) and `journal.N.log` (records after that). Recovery loads
 * the newest snapshot K and replays journals K, K+1, ... in order. Every record is an idempotent
 * upsert, so replaying a record whose effect is already in the snapshot is harmless; that lets
 * compaction switch files without waiting for the writer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class Journal {
  private buf: string[] = [];
  private waiters: (() => void)[] = [];
  private writing = false;
  private scheduled = false;
  private fd: number;
  private gen: number;
  private bytes = 0;
  private snapshotBytes = 0;
  private compacting: Promise<void> | null = null;
  private compactWanted = false;
  private failed: Error | null = null;

  private constructor(
    private readonly dir: string,
    gen: number,
    private readonly snapshot: () => Iterable<string>,
    private readonly compactBytes: number,
  ) {
    this.gen = gen;
    this.fd = fs.openSync(this.file('journal', gen), 'a');
    // The directory entry of a new journal must be durable before records in it count as such.
    syncDir(dir);
    this.bytes = fs.fstatSync(this.fd).size;
  }

  /** Replays the directory through `apply`, then opens it for appending. */
  static open(
    dir: string,
    apply: (rec: unknown) => void,
    snapshot: () => Iterable<string>,
    compactBytes = 64 * 1024 * 1024,
  ): Journal {
    fs.mkdirSync(dir, { recursive: true });
    const names = fs.readdirSync(dir);
    const gens = (prefix: string, ext: string) =>
      names
        .map((n) => new RegExp(`^${prefix}\\.(\\d+)\\.${ext}$`).exec(n))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b);
    const snaps = gens('snapshot', 'jsonl');
    const base = snaps.length ? (snaps[snaps.length - 1] as number) : 0;
    if (snaps.length) replayFile(path.join(dir, `snapshot.${base}.jsonl`), apply);
    const journals = gens('journal', 'log').filter((g) => g >= base);
    let valid = 0;
    for (const g of journals) valid = replayFile(path.join(dir, `journal.${g}.log`), apply);
    const last = journals.length ? (journals[journals.length - 1] as number) : base;
    if (journals.length) fs.truncateSync(path.join(dir, `journal.${last}.log`), valid);
    return new Journal(dir, last, snapshot, compactBytes);
  }

  private file(kind: 'journal' | 'snapshot', gen: number): string {
    return path.join(this.dir, kind === 'journal' ? `journal.${gen}.log` : `snapshot.${gen}.jsonl`);
  }

  append(line: string): void {
    this.buf.push(line);
    this.bytes += line.length;
    // Compact once the journal outgrows both the threshold and the last snapshot, so rewriting
    // the snapshot stays amortised linear in the journal volume.
    if (this.bytes > this.compactBytes && this.bytes > this.snapshotBytes) this.compactWanted = true;
    this.kick();
  }

  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (!this.writing && this.buf.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.loop();
    });
  }

  private async loop(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.buf.length) {
        if (this.compactWanted && !this.compacting) this.compact();
        const data = this.buf.join('');
        const done = this.waiters;
        this.buf = [];
        this.waiters = [];
        await writeAll(this.fd, data);
        await new Promise<void>((res, rej) => fs.fdatasync(this.fd, (e) => (e ? rej(e) : res())));
        for (const w of done) w();
      }
    } catch (e) {
      this.failed = e as Error;
      console.error('[sfn journal] write failed', e);
    } finally {
      this.writing = false;
      const rest = this.waiters;
      this.waiters = [];
      for (const w of rest) w();
    }
  }

  /**
   * Starts generation N+1: new journal file now, snapshot written in the background (the writer
   * loop does not wait for it), old files removed once the snapshot is durable. The snapshot is
   * serialised in chunks between which the engine keeps running, so it is "fuzzy": each object
   * is at least as new as the switch, and journal N+1 (replayed after it) holds every later
   * change, which the idempotent upserts make safe. Until the rename, recovery simply uses
   * snapshot N plus journals N and N+1.
   */
  private compact(): void {
    this.compactWanted = false;
    const oldGen = this.gen;
    const newGen = oldGen + 1;
    const oldFd = this.fd;
    this.fd = fs.openSync(this.file('journal', newGen), 'a');
    syncDir(this.dir);
    this.gen = newGen;
    this.bytes = 0;
    fs.closeSync(oldFd);
    this.compacting = this.writeSnapshot(oldGen, newGen)
      .catch((e: unknown) => console.error('[sfn journal] snapshot failed', e))
      .finally(() => {
        this.compacting = null;
      });
  }

  private async writeSnapshot(oldGen: number, newGen: number): Promise<void> {
    const tmp = `${this.file('snapshot', newGen)}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let chunk: string[] = [];
    let size = 0;
    let total = 0;
    for (const line of this.snapshot()) {
      chunk.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        await writeAll(fd, chunk.join(''));
        total += size;
        chunk = [];
        size = 0;
      }
    }
    await writeAll(fd, chunk.join(''));
    total += size;
    await new Promise<void>((res, rej) => fs.fsync(fd, (e) => (e ? rej(e) : res())));
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file('snapshot', newGen));
    syncDir(this.dir);
    this.snapshotBytes = total;
    for (const f of [this.file('journal', oldGen), this.file('snapshot', oldGen)])
      fs.rmSync(f, { force: true });
    for (let g = oldGen - 1; g >= 0 && fs.existsSync(this.file('journal', g)); g--)
      fs.rmSync(this.file('journal', g));
  }

  async close(): Promise<void> {
    await this.sync();
    await this.compacting;
    fs.closeSync(this.fd);
  }
}

function writeAll(fd: number, data: string): Promise<void> {
  const buf = Buffer.from(data, 'utf8');
  return new Promise((resolve, reject) => {
    const step = (off: number) => {
      if (off >= buf.length) return resolve();
      fs.write(fd, buf, off, buf.length - off, null, (e, n) => (e ? reject(e) : step(off + n)));
    };
    step(0);
  });
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/**
 * Applies every complete line and returns the byte length of the valid prefix; a torn last
 * line (crash mid-write) is ignored and later cut off so that new appends start on a clean line.
 */
function replayFile(file: string, apply: (rec: unknown) => void): number {
  const buf = fs.readFileSync(file);
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(10, start);
    if (end < 0) break;
    if (end > start) {
      let rec: unknown;
      try {
        rec = JSON.parse(buf.toString('utf8', start, end));
      } catch {
        break;
      }
      apply(rec);
    }
    start = end + 1;
  }
  return start;
}
