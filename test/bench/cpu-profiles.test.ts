import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuSummaryLines, familyOf, originOf, summarizeCpuProfiles } from '../../bench/cpu-profiles';

// A real profile of a real minified bundle: two busy loops, one from a package in node_modules and one
// from a file under functions/, bundled and minified by esbuild with its source map, run by node
// --cpu-prof. The summary must name both by where they came from, though the bundle names neither.

const dir = mkdtempSync(join(tmpdir(), 'cpu-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A fixed amount of work, not a fixed time: on a loaded machine the shares stay what they are.
const busy = (name: string) => `export function ${name}(times) {
  let n = 0;
  for (let i = 0; i < times; i++) n += Math.sqrt(n + 1);
  return n;
}`;

describe('CPU profiles of Lambda environments', () => {
  it('names minified bundle code by its package or source folder, as shares of the busy time', () => {
    mkdirSync(join(dir, 'node_modules/@aws-sdk/busy'), { recursive: true });
    mkdirSync(join(dir, 'functions/domain'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/@aws-sdk/busy/index.js'), busy('sdkWork'));
    writeFileSync(join(dir, 'functions/domain/work.js'), busy('ownWork'));
    writeFileSync(
      join(dir, 'entry.js'),
      "import { sdkWork } from '@aws-sdk/busy';\nimport { ownWork } from './functions/domain/work.js';\nsdkWork(3e7); ownWork(1e7);\n",
    );
    const bundle = join(dir, 'bundle/index.js');
    buildSync({
      entryPoints: [join(dir, 'entry.js')],
      bundle: true,
      minify: true,
      sourcemap: true,
      platform: 'node',
      outfile: bundle,
      absWorkingDir: dir,
      logLevel: 'silent',
    });
    const profiles = join(dir, 'profiles');
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, bundle]);

    const summary = summarizeCpuProfiles(profiles, new Map([[bundle, 'busy-function']]));
    expect(summary.profiles).toBe(1);
    const sdk = summary.byOrigin.get('@aws-sdk/busy') ?? 0;
    const own = summary.byOrigin.get('functions/domain') ?? 0;
    // Three times the work in the package (~0.4 s here) than in our own code: each seen, the larger one larger.
    expect(own).toBeGreaterThan(50);
    expect(sdk).toBeGreaterThan(own);
    expect(sdk + own).toBeLessThanOrEqual(summary.busyMs);
    // The profile ran the named bundle: all of its busy time is that function's.
    expect(summary.byLambda.get('busy-function')).toBe(summary.busyMs);
    const lines = cpuSummaryLines(summary, new Map([['busy-function', 4]]));
    expect(lines[1]).toMatch(/^ {2}AWS SDK \d+\.\d%, .*this project \d+\.\d%/);
    const perInvocation = (summary.busyMs / 4).toFixed(1);
    expect(lines).toContain(`    100.0% busy-function: ${perInvocation} ms x 4`);
    expect(lines.some((line) => / {2}\d+\.\d% .* @aws-sdk\/busy\/index\.js:\d+$/.test(line))).toBe(true);
  });

  it('sorts origins into families', () => {
    expect(originOf('/x/node_modules/@smithy/core/dist-es/a.js')).toBe('@smithy/core');
    expect(originOf('/x/node_modules/zod/v4/core.js')).toBe('zod');
    expect(originOf('../../functions/adapters/dynamo-items.ts')).toBe('functions/adapters');
    expect(originOf('/work/cdk.out/asset.abc/index.js')).toBe('a bundle (no source map entry)');
    expect(
      [
        '@smithy/core',
        'node:_http_client',
        'native writev',
        'functions/domain',
        '(garbage collector)',
        'zod',
      ].map(familyOf),
    ).toEqual(['AWS SDK', 'Node.js', 'Node.js', 'this project', 'V8', 'other packages']);
  });
});
