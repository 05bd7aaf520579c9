import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';

// For every Lambda bundle that synth produces: its size and median import() time in fresh
// processes, side by side with a bundle of only the AWS SDK clients and commands that the
// bundle itself contains (read from its source map), built and timed in this same run.

const root = join(__dirname, '..');
const out = join(root, 'cdk.out');
const runs = Number(process.env.RUNS ?? 11);
const target = 1.15;

if (!existsSync(join(out, 'manifest.json')) || process.env.SYNTH === '1') {
  execFileSync('npx', ['cdk', 'synth', '--quiet'], { cwd: root, stdio: 'inherit' });
}

interface Resource {
  Type: string;
  Metadata?: Record<string, string>;
  Properties?: { Description?: unknown; Environment?: { Variables?: Record<string, unknown> } };
}

interface Bundle {
  name: string;
  file: string;
  env: Record<string, string>;
}

function bundles(): Bundle[] {
  const templates = readdirSync(out).filter((f) => f.endsWith('.template.json'));
  const found: Bundle[] = [];
  for (const t of templates) {
    const template = JSON.parse(readFileSync(join(out, t), 'utf8'));
    for (const [id, r] of Object.entries<Resource>(template.Resources ?? {})) {
      const assetPath = r.Metadata?.['aws:asset:path'];
      if (r.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
      // The app's functions only, not CDK's own (the buckets' auto-delete custom resource).
      const description = r.Properties?.Description;
      if (typeof description !== 'string' || !description.startsWith('coproduce ')) continue;
      const file = join(out, assetPath, 'index.js');
      if (existsSync(file)) found.push({ name: id.replace(/[A-F0-9]{8}$/, ''), file, env: plainEnv(r) });
    }
  }
  // `npm run bench:coldstart -- console open-step` measures only the functions named.
  const only = process.argv.slice(2).map((n) => n.replace(/\W/g, '').toLowerCase());
  const wanted = (name: string) => only.length === 0 || only.some((n) => name.toLowerCase().endsWith(n));
  return found.filter((b) => wanted(b.name)).sort((a, b) => a.name.localeCompare(b.name));
}

/** The function's env with unresolved CloudFormation values replaced by plausible strings. */
function plainEnv(resource: Resource): Record<string, string> {
  const vars: Record<string, unknown> = resource.Properties?.Environment?.Variables ?? {};
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars))
    env[k] = typeof v === 'string' && !v.startsWith('{{') ? v : fake(k);
  return env;
}

function fake(name: string): string {
  if (name === 'STATE_MACHINE_ARNS')
    return JSON.stringify({ x: 'arn:aws:states:eu-west-1:1:stateMachine:x' });
  if (name.endsWith('URL')) return 'https://example.org';
  return 'bench-value-that-is-long-enough-for-any-key-0123456789';
}

/** The SDK entry points a bundle contains, from its source map. */
function sdkEntry(bundle: string): string {
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  const exports = new Map<string, Set<string>>();
  for (const source of map.sources) {
    const m = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\/dist-es\/(.+)\.js$/.exec(source);
    if (!m?.[1] || !m[2]) continue;
    const names = exports.get(m[1]) ?? new Set<string>();
    const file = basename(m[2]);
    if (m[2].startsWith('commands/') && file.endsWith('Command')) names.add(file);
    if (!m[2].includes('/') && file.endsWith('Client')) names.add(file);
    exports.set(m[1], names);
  }
  const lines: string[] = [];
  for (const [pkg, names] of exports) {
    if (names.size === 0) continue;
    // Aliased: lib-dynamodb and client-dynamodb both export e.g. QueryCommand.
    const prefix = pkg.replace(/\W/g, '_');
    const list = [...names].sort().map((n) => `${n} as ${prefix}_${n}`);
    lines.push(
      `import { ${list.join(', ')} } from '${pkg}';`,
      `export { ${list.map((l) => l.split(' as ')[1]).join(', ')} };`,
    );
  }
  // A handler builds its clients at init, so the baseline builds the same ones.
  const clients = [...exports].flatMap(([pkg, names]) =>
    [...names].filter((n) => n.endsWith('Client')).map((n) => `${pkg.replace(/\W/g, '_')}_${n}`),
  );
  const plain = clients.filter((c) => !c.endsWith('DocumentClient'));
  for (const c of plain) lines.push(`export const new_${c} = new ${c}({});`);
  const doc = clients.find((c) => c.endsWith('DocumentClient'));
  const raw = plain.find((c) => c.endsWith('_DynamoDBClient'));
  if (doc && raw) lines.push(`export const new_${doc} = ${doc}.from(new_${raw});`);
  return lines.join('\n');
}

function buildBaseline(entrySource: string, dir: string, name: string): string {
  const entry = join(dir, `${name}.entry.mjs`);
  const outfile = join(dir, `${name}.baseline.js`);
  writeFileSync(entry, entrySource || 'export {};');
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'error',
  });
  return outfile;
}

function importMs(file: string, env: Record<string, string>): number {
  const code = `const t=process.hrtime.bigint();import(${JSON.stringify(file)}).then(()=>{process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))})`;
  const r = spawnSync(process.execPath, ['-e', code], { env: childEnv(env), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import of ${file} failed:\n${r.stderr}`);
  return Number(r.stdout);
}

/**
 * MODE=instructions: instructions executed to load the bundle (valgrind, node --jitless), minus those
 * of loading an empty file. Deterministic, so a loaded machine cannot move the ratio; slow (~15 s each).
 * The seeds are fixed because V8 seeds its string hashes at random per process: how often a property or
 * map lookup collides then moved the same bundle's count by several per cent from one run to the next.
 */
function instructions(file: string, env: Record<string, string>): number {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--jitless',
      '--hash-seed=42',
      '--random-seed=42',
      '-e',
      `require(${JSON.stringify(file)})`,
    ],
    { env: childEnv(env), encoding: 'utf8' },
  );
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m?.[1]) throw new Error(`valgrind on ${file} failed:\n${r.stderr.slice(-2000)}`);
  return Number(m[1]) / 1e6;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...env, AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const kb = (file: string) => statSync(file).size / 1024;

const byInstructions = process.env.MODE === 'instructions';
const dir = mkdtempSync(join(tmpdir(), 'coldstart-'));
const empty = join(dir, 'empty.js');
writeFileSync(empty, '');
const emptyCost = byInstructions ? instructions(empty, {}) : 0;
const measure = (file: string, env: Record<string, string>) =>
  byInstructions ? instructions(file, env) - emptyCost : importMs(file, env);
const unit = byInstructions ? 'M instr' : 'ms';
const rounds = byInstructions ? 1 : runs;

const rows: string[][] = [];
let worst = 0;
for (const b of bundles()) {
  const entry = sdkEntry(b.file);
  const baseline = buildBaseline(entry, dir, b.name);
  const mine: number[] = [];
  const base: number[] = [];
  // Interleaved so that noise from other work on the machine hits both sides alike.
  for (let i = 0; i < rounds; i++) {
    mine.push(measure(b.file, b.env));
    base.push(measure(baseline, b.env));
  }
  const ratio = median(mine) / median(base);
  // A function with no SDK client has nothing to compare with; its own figure is still shown.
  if (entry) worst = Math.max(worst, ratio);
  rows.push([
    b.name,
    `${kb(b.file).toFixed(0)} KB`,
    `${kb(baseline).toFixed(0)} KB`,
    `${median(mine).toFixed(1)} ${unit}`,
    `${median(base).toFixed(1)} ${unit}`,
    entry ? `${ratio.toFixed(2)}x` : 'n/a (no SDK client)',
  ]);
}

const header = ['function', 'bundle', 'sdk-only', 'import', 'sdk import', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  '));
const how = byInstructions ? 'instructions to load, one run each' : `${runs} fresh processes each, medians`;
console.log(`\n${how}; target <= ${target}x, worst ${worst.toFixed(2)}x (functions with an SDK client)`);
console.log(`(bundles from ${dirname(out)}/cdk.out; baselines in ${dir})`);
