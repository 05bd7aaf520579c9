/**
 * Where the functions' CPU goes: the V8 CPU profiles that Lambda environments write with
 * BENCH_PROFILE=<folder> (the runtime's LOCAL_CPU_PROFILE), summed over every environment. A bundle
 * is minified, so its frames are mapped back through the bundle's source map to the package or source
 * folder they came from. Shares are of the busy time: the environments' idle time is left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import type { LocalLambda } from '../local/runtime/lambda';

/** BENCH_PROFILE: the folder the benches have the runtime's environments write their profiles to. */
export function benchProfileDir(): string | undefined {
  return process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  profiles: number;
  busyMs: number;
  /** Busy ms per origin: an npm package, a source folder (functions/, workflows/), a Node.js module, or V8 ((garbage collector)). */
  byOrigin: Map<string, number>;
  /** Busy ms per function, named by its source file and line. */
  byFunction: Map<string, number>;
  /** Busy ms per Lambda function, for the bundles `summarizeCpuProfiles` was given names of. */
  byLambda: Map<string, number>;
}

/** The npm package of a path in node_modules, else the path from its top source folder. */
export function originOf(source: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inPackage) return inPackage[1] as string;
  const own = /(?:^|\/)((?:functions|workflows|lib|local)\/[^/]+)/.exec(source);
  if (own) return own[1] as string;
  return source.includes('cdk.out/asset.') ? 'a bundle (no source map entry)' : source;
}

/** The larger family of an origin: the AWS SDK, Node.js itself, this project's code, V8, or other packages. */
export function familyOf(origin: string): string {
  if (/^@(aws-sdk|smithy)\//.test(origin)) return 'AWS SDK';
  if (origin.startsWith('node:') || origin.startsWith('native ')) return 'Node.js';
  if (/^(functions|workflows|lib)\//.test(origin)) return 'this project';
  if (origin.startsWith('local/')) return 'the local Lambda worker';
  if (origin.startsWith('(')) return 'V8';
  return 'other packages';
}

/**
 * Reads every .cpuprofile in `dir`; frames of a file with a source map are named by their original
 * source. `lambdas` names bundles (their file) by function: a profile whose frames run one counts for it.
 */
export function summarizeCpuProfiles(dir: string, lambdas = new Map<string, string>()): CpuSummary {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) {
      let map: SourceMap | undefined;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = undefined; // no map (Node's own modules, a file without one): named as it is
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  const summary: CpuSummary = {
    profiles: 0,
    busyMs: 0,
    byOrigin: new Map(),
    byFunction: new Map(),
    byLambda: new Map(),
  };
  const add = (into: Map<string, number>, key: string, ms: number) =>
    into.set(key, (into.get(key) ?? 0) + ms);
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile;
    summary.profiles++;
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const busyBefore = summary.busyMs;
    let lambda: string | undefined;
    for (const { id, callFrame: frame } of profile.nodes) {
      const file = frame.url.replace(/^file:\/\//, '');
      lambda ??= lambdas.get(file);
      const ms = (selfUs.get(id) ?? 0) / 1000;
      if (ms === 0 || frame.functionName === '(idle)') continue;
      summary.busyMs += ms;
      if (!frame.url) {
        // V8's own, as '(garbage collector)' or '(program)', or a built-in (writev, JSON's parse...).
        const name = frame.functionName;
        add(summary.byOrigin, name.startsWith('(') ? name : `native ${name}`, ms);
        continue;
      }
      const entry = mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
      const source = entry && 'originalSource' in entry ? entry.originalSource : file;
      const line = entry && 'originalLine' in entry ? entry.originalLine : frame.lineNumber;
      add(summary.byOrigin, originOf(source), ms);
      const where = `${source.replace(/.*node_modules\//, '')}:${line + 1}`;
      add(summary.byFunction, `${frame.functionName || '(anonymous)'} ${where}`, ms);
    }
    if (lambda) add(summary.byLambda, lambda, summary.busyMs - busyBefore);
  }
  return summary;
}

/**
 * The summary as lines: the largest origins and functions, each as a share of the busy time; and per Lambda
 * function its share and, given its invocations, its busy time per invocation.
 */
export function cpuSummaryLines(
  summary: CpuSummary,
  invocations = new Map<string, number>(),
  top = { origins: 12, functions: 12 },
): string[] {
  const share = (ms: number) => `${((ms / Math.max(summary.busyMs, 1e-9)) * 100).toFixed(1).padStart(5)}%`;
  const largest = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const families = new Map<string, number>();
  for (const [origin, ms] of summary.byOrigin)
    families.set(familyOf(origin), (families.get(familyOf(origin)) ?? 0) + ms);
  return [
    `functions' CPU          ${(summary.busyMs / 1000).toFixed(1)} s busy in ${summary.profiles} Lambda environments (profiles summed; idle left out)`,
    `  ${largest(families, families.size)
      .map(([family, ms]) => `${family} ${share(ms).trim()}`)
      .join(', ')}`,
    ...(summary.byLambda.size > 0 ? ['  by Lambda function (busy ms per invocation, warm-up included)'] : []),
    ...largest(summary.byLambda, summary.byLambda.size).map(([name, ms]) => {
      const count = invocations.get(name);
      return `    ${share(ms)} ${name}${count ? `: ${(ms / count).toFixed(1)} ms x ${count}` : ''}`;
    }),
    '  by origin',
    ...largest(summary.byOrigin, top.origins).map(([origin, ms]) => `    ${share(ms)} ${origin}`),
    '  by function (self time)',
    ...largest(summary.byFunction, top.functions).map(([fn, ms]) => `    ${share(ms)} ${fn}`),
  ];
}

/** The lines for a runtime's profiles: its functions named as their handlers, with their invocations. */
export function runtimeProfileLines(lambda: LocalLambda, dir: string): string[] {
  const nameOf = (f: LocalLambda['functions'][number]) => f.handlerName ?? f.name;
  const lambdas = new Map(lambda.functions.map((f) => [f.file, nameOf(f)]));
  const invocations = new Map(
    lambda.functions.map((f) => [nameOf(f), lambda.stats.get(f.name)?.invocations ?? 0]),
  );
  return cpuSummaryLines(summarizeCpuProfiles(dir, lambdas), invocations);
}
