/**
 * Reuses cdk.out when it is newer than every source file the app is built from, else runs
 * `cdk synth`. A lock directory keeps concurrent starters (parallel e2e test files) from
 * synthesizing into the same folder at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

export function isUpToDate(root: string, cdkOut = join(root, 'cdk.out')): boolean {
  const manifest = join(cdkOut, 'manifest.json');
  if (!existsSync(manifest)) return false;
  const built = statSync(manifest).mtimeMs;
  const extra = ['package-lock.json', 'cdk.json'].map((f) => join(root, f));
  return Math.max(...SOURCES.map((d) => newest(join(root, d))), ...extra.map(newest)) <= built;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Makes cdk.out current; returns whether a synth ran. */
export async function ensureSynth(root: string, log: (line: string) => void = () => {}): Promise<boolean> {
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
    if (isUpToDate(root)) return false;
    log('Synthesizing the stack (npx cdk synth --quiet)...');
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    if (result.status !== 0) throw new Error(`cdk synth failed (exit ${result.status ?? result.signal})`);
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
