/**
 * Memory accounting for `bench:round`: peak RSS and heap sampled every 100 ms, the memory at rest
 * (after a full collection when node runs with --expose-gc), and where the RSS is: the main
 * isolate's heap (engine, runtime, dynalite's JavaScript, the bench), buffers outside it, the
 * Lambda execution environments (worker threads, each an isolate of its own) and the rest (native:
 * dynalite's LevelDB, code, thread stacks). Everything runs in this one process, so its RSS is the
 * whole tree's.
 */
import { readFileSync } from 'node:fs';
import type { Runtime } from '../local/runtime/runtime';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Memory once the round's work is done, after a full collection when node runs with --expose-gc. */
export async function restingMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await sleep(100);
  gc?.();
  return { ...process.memoryUsage(), collected: gc !== undefined };
}

/** Peak RSS and heap since the last `reset`, sampled every 100 ms. */
export class Peaks {
  rss = 0;
  heap = 0;
  private readonly timer = setInterval(() => this.sample(), 100);
  /** `also`: sampled with the RSS (the Lambda environments). */
  constructor(private readonly also: () => void = () => {}) {}
  sample() {
    this.also();
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }
  reset() {
    this.rss = 0;
    this.heap = 0;
    this.sample();
  }
  stop() {
    clearInterval(this.timer);
  }
}

/**
 * The Lambda environments' memory, from their REPORT lines (`Max Memory Used`: the worker's heap
 * used plus external, at the end of an invocation): the largest seen per function, times the
 * environments the function has now. Pass `log` as the runtime's log with `verbose` on.
 */
export class WorkerMemory {
  private readonly largest = new Map<string, number>();
  readonly log = (line: string) => {
    const m = /^REPORT (\S+) .*Max Memory Used: (\d+) MB/.exec(line);
    if (!m) return;
    const name = m[1] as string;
    this.largest.set(name, Math.max(this.largest.get(name) ?? 0, Number(m[2])));
  };

  /** The most environments alive at once, and their estimated memory then (call it with the RSS samples). */
  peak = { environments: 0, megabytes: 0, lines: [] as string[] };
  sample(rt: Runtime): void {
    const now = this.estimate(rt);
    if (now.megabytes > this.peak.megabytes) this.peak = now;
  }

  /** Per function: environments alive and their estimated memory (MB), largest first. */
  estimate(rt: Runtime): { environments: number; megabytes: number; lines: string[] } {
    const byLogicalId = new Map(rt.lambda.functions.map((f) => [f.logicalId, f.name]));
    const rows: { name: string; count: number; mb: number; queued: number }[] = [];
    for (const [logicalId, largest] of this.largest) {
      const name = byLogicalId.get(logicalId) ?? logicalId;
      const pool = rt.lambda.environmentsOf(name);
      if (!pool?.alive) continue;
      rows.push({ name, count: pool.alive, mb: pool.alive * largest, queued: pool.waiting });
    }
    rows.sort((a, b) => b.mb - a.mb);
    return {
      environments: rows.reduce((n, r) => n + r.count, 0),
      megabytes: rows.reduce((n, r) => n + r.mb, 0),
      lines: rows.map((r) => `${r.name} ${r.count} x ${Math.round(r.mb / r.count)} MB`),
    };
  }
}

/**
 * The process's resident memory by kind of mapping (/proc/self/smaps, Linux): file-backed (code,
 * the node binary and libraries, LevelDB's table files, which it maps into memory to read them), the
 * brk heap (malloc's main arena), anonymous mappings of 64 MB reservations (malloc's per-thread
 * arenas: LevelDB, the libuv pool, worker threads' native allocations) and the other anonymous
 * mappings (V8 heaps of the main isolate and the workers, thread stacks, big malloc blocks).
 * `files`: the file-backed part by kind of file, the biggest first (which files the growth is).
 */
export function residentByKind(): string {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return 'not available (no /proc/self/smaps)';
  }
  const kinds = { file: 0, brk: 0, arenas: 0, anonymous: 0 };
  const files = new Map<string, { bytes: number; paths: Set<string> }>();
  let kind: keyof typeof kinds = 'anonymous';
  let path = '';
  let arenaBase = -1;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = Number.parseInt(head[1] as string, 16);
      path = head[3] as string;
      // A malloc arena is a 64 MB-aligned reservation: its used part and the rest (---p) follow each other.
      if (path === '[heap]') kind = 'brk';
      else if (path.startsWith('/')) kind = 'file';
      else if (start % 2 ** 26 === 0 || Math.floor(start / 2 ** 26) === arenaBase) {
        kind = start % 2 ** 26 === 0 ? 'arenas' : kind === 'arenas' ? 'arenas' : 'anonymous';
        if (start % 2 ** 26 === 0) arenaBase = start / 2 ** 26;
      } else kind = 'anonymous';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (!rss) continue;
    const bytes = Number(rss[1]) * 1024;
    kinds[kind] += bytes;
    if (kind !== 'file' || bytes === 0) continue;
    const group = fileKind(path);
    const entry = files.get(group) ?? { bytes: 0, paths: new Set() };
    entry.bytes += bytes;
    entry.paths.add(path);
    files.set(group, entry);
  }
  const top = [...files].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 6);
  return [
    `file-backed ${mb(kinds.file)}, brk heap ${mb(kinds.brk)}, 64 MB-aligned (malloc arenas) ${mb(kinds.arenas)}, other anonymous (V8 heaps, stacks) ${mb(kinds.anonymous)}`,
    `file-backed by kind: ${top.map(([group, e]) => `${group} ${mb(e.bytes)} (${e.paths.size} files)`).join(', ')}`,
  ].join('\n                         ');
}

/** A mapped file's kind: LevelDB's tables, the node binary, a shared library, or its own path. */
function fileKind(path: string): string {
  const name = path.replace(/ \(deleted\)$/, '');
  // Deleted tables still mapped: compaction replaced them, something (an open iterator) still reads them.
  if (/\/[0-9]{6}\.(ldb|sst)$/.test(name)) return name === path ? 'LevelDB tables' : 'deleted LevelDB tables';
  if (/\/[0-9]{6}\.log$/.test(name)) return 'LevelDB logs';
  if (/\.node$/.test(name)) return `addon ${name.split('/').slice(-1)[0]}`;
  if (/\.so(\.[0-9.]+)?$/.test(name)) return 'shared libraries';
  if (/\/node$/.test(name)) return 'node binary';
  return name;
}
