/**
 * Reuses cdk.out when it is newer than every source file the app is built from and was synthesized
 * with the same CDK context (`-c key=value`), else runs `cdk synth` with that context. The context of
 * the last synth is kept in cdk.out/.local-context.json; a cdk.out without it was synthesized by hand,
 * taken to be without context. A lock directory keeps concurrent starters (parallel e2e test files)
 * from synthesizing into the same folder at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CdkContext = Record<string, string>;

const CONTEXT_FILE = '.local-context.json';
const canonical = (context: CdkContext) =>
  JSON.stringify(Object.fromEntries(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));

function synthesizedContext(cdkOut: string): string {
  const file = join(cdkOut, CONTEXT_FILE);
  // Absent, or older than the manifest: the last synth was run by hand.
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(join(cdkOut, 'manifest.json')).mtimeMs)
    return canonical({});
  try {
    return canonical(JSON.parse(readFileSync(file, 'utf8')) as CdkContext);
  } catch {
    return ''; // unreadable: synthesize again
  }
}

const SOURCES = ['bin', 'lib', 'functions', 'workflows'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, entry)));
  }
  return max;
}

export function isUpToDate(root: string, cdkOut = join(root, 'cdk.out'), context: CdkContext = {}): boolean {
  const manifest = join(cdkOut, 'manifest.json');
  if (!existsSync(manifest)) return false;
  if (synthesizedContext(cdkOut) !== canonical(context)) return false;
  const built = statSync(manifest).mtimeMs;
  const extra = ['package-lock.json', 'cdk.json'].map((f) => join(root, f));
  return Math.max(...SOURCES.map((d) => newest(join(root, d))), ...extra.map(newest)) <= built;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes cdk.out current for `context`; returns whether a synth ran. */
export async function ensureSynth(
  root: string,
  log: (line: string) => void = () => {},
  context: CdkContext = {},
): Promise<boolean> {
  mkdirSync(join(root, 'cdk.out'), { recursive: true });
  const lock = join(root, 'cdk.out', '.local-synth.lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process synthesizes; a lock older than 10 minutes is a leftover of a crash.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      await sleep(250);
    }
  }
  try {
    const cdkOut = join(root, 'cdk.out');
    if (isUpToDate(root, cdkOut, context)) return false;
    const args = Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
    log(`Synthesizing the stack (npx cdk synth --quiet${args.length ? ` ${args.join(' ')}` : ''})...`);
    rmSync(join(cdkOut, CONTEXT_FILE), { force: true });
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', ...args], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    if (result.status !== 0) throw new Error(`cdk synth failed (exit ${result.status ?? result.signal})`);
    writeFileSync(join(cdkOut, CONTEXT_FILE), canonical(context));
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
