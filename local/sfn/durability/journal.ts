/**
 * The journal: where a journal line is written. Lines are appended to an in-memory list that is
 * written and fdatasynced in batches, so many executions share one fsync (group-commit.ts).
 * `append` returns the line's Location at once, and `read` returns a line from its Location,
 * from the list while it is not written yet, else from the file.
 * Recovery (`open`) replays the directory first (journal-replay.ts).
 */
import * as fs from 'node:fs';
import { GroupCommit } from './group-commit';
import {
  fileName,
  generationOf,
  generations,
  journalFileId,
  type Line,
  type Location,
  type RawLine,
  snapshotFileId,
  syncDirectory,
  writeByFile,
} from './journal-files';
import { replayDirectory } from './journal-replay';

export class Journal {
  private readonly commits = new GroupCommit((lines) =>
    writeByFile(lines, (fileId) => this.writeFdOf(fileId)),
  );
  private generation: number;
  private writeFd: number;
  private bytes: number;
  private readonly readFds = new Map<number, number>();
  /** Size of the last snapshot: the journal is compacted once it outgrows it (and compactBytes). */
  snapshotBytes = 0;

  private constructor(
    readonly dir: string,
    generation: number,
    private readonly compactBytes: number,
  ) {
    this.generation = generation;
    this.writeFd = fs.openSync(fileName(dir, journalFileId(generation)), 'a');
    // The directory entry of a new journal must be durable before records in it count as such.
    syncDirectory(dir);
    this.bytes = fs.fstatSync(this.writeFd).size;
  }

  /** Replays the directory through `visit` (false = the line is not valid: stop), then opens it. */
  static open(dir: string, visit: (line: RawLine) => boolean, compactBytes = 64 * 1024 * 1024): Journal {
    const { generation, snapshotBytes } = replayDirectory(dir, visit);
    const journal = new Journal(dir, generation, compactBytes);
    journal.snapshotBytes = snapshotBytes;
    return journal;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** True once the journal outgrew both the threshold and the last snapshot (amortised linear). */
  get wantsCompaction(): boolean {
    return this.bytes > this.compactBytes && this.bytes > this.snapshotBytes;
  }

  /** Appends a line (`text` ends with a newline); its Location leaves the newline out. */
  append(text: string): Location {
    const length = Buffer.byteLength(text, 'utf8');
    const line: Line = { fileId: journalFileId(this.generation), offset: this.bytes, text, length };
    this.commits.add(line);
    this.bytes += length;
    return [line.fileId, line.offset, length - 1];
  }

  read([fileId, offset, length]: Location): string {
    const unwritten = this.commits.unwritten(fileId, offset);
    if (unwritten) return unwritten.text.slice(0, -1);
    const buffer = Buffer.allocUnsafe(length);
    const n = fs.readSync(this.readFdOf(fileId), buffer, 0, length, offset);
    return buffer.toString('utf8', 0, n);
  }

  private readFdOf(fileId: number): number {
    let fd = this.readFds.get(fileId);
    if (fd === undefined) {
      fd = fs.openSync(fileName(this.dir, fileId), 'r');
      this.readFds.set(fileId, fd);
    }
    return fd;
  }

  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void> {
    return this.commits.sync();
  }

  /** Nothing is waiting to be written or being synced. */
  get idle(): boolean {
    return this.commits.idle;
  }

  private readonly oldWriteFds = new Map<number, number>();

  private writeFdOf(fileId: number): number {
    if (fileId === journalFileId(this.generation)) return this.writeFd;
    return this.oldWriteFds.get(fileId) as number;
  }

  /** Compaction: later lines go to generation N+1's journal; returns N. */
  startGeneration(): number {
    const old = this.generation;
    this.oldWriteFds.set(journalFileId(old), this.writeFd);
    this.generation = old + 1;
    this.writeFd = fs.openSync(fileName(this.dir, journalFileId(this.generation)), 'a');
    syncDirectory(this.dir);
    this.bytes = 0;
    return old;
  }

  /** Removes the files of generations before `generation` (their content is in its snapshot). */
  async retireBefore(generation: number): Promise<void> {
    await this.sync();
    // Unlinking a journal of many MiB takes milliseconds: off the event loop.
    await Promise.all(this.release(generation).map((file) => fs.promises.rm(file, { force: true })));
  }

  /** retireBefore, when nothing of those generations can still be waiting to be written. */
  removeBefore(generation: number): void {
    for (const file of this.release(generation)) fs.rmSync(file, { force: true });
  }

  /** Closes what the journal holds of generations before `generation`; returns their files. */
  private release(generation: number): string[] {
    for (const [fileId, fd] of [...this.readFds, ...this.oldWriteFds]) {
      if (generationOf(fileId) >= generation) continue;
      fs.closeSync(fd);
      this.readFds.delete(fileId);
      this.oldWriteFds.delete(fileId);
    }
    const { snapshots, journals } = generations(this.dir);
    return [
      ...snapshots.filter((g) => g < generation).map((g) => fileName(this.dir, snapshotFileId(g))),
      ...journals.filter((g) => g < generation).map((g) => fileName(this.dir, journalFileId(g))),
    ];
  }

  async close(): Promise<void> {
    await this.sync();
    fs.closeSync(this.writeFd);
    for (const fd of [...this.readFds.values(), ...this.oldWriteFds.values()]) fs.closeSync(fd);
    this.readFds.clear();
    this.oldWriteFds.clear();
  }
}
