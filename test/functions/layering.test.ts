import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The domain imports no AWS SDK (developers' guide): the rules of the cases and of every feature folder
// (rounds, proposals, delegation, reports, web, sms, privacy) reach the SDK only through ports, which the adapters implement
// and the wiring modules (one instance per container, from the environment) hand to the handlers. Read
// from the sources' own imports, followed to the end, so a rule that reaches the SDK through a helper
// fails as well as one that imports it.

const ROOT = join(__dirname, '../..');
const FUNCTIONS = join(ROOT, 'functions');
const FEATURES = ['rounds', 'proposals', 'delegation', 'reports', 'web', 'sms', 'privacy'];
const IMPORT = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;

const filesOf = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesOf(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

const specifiers = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1] as string);

const importsSdk = (file: string) => specifiers(file).some((s) => /^@(aws-sdk|smithy)\//.test(s));

const CLIENTS_AND_ENV = ['shared/clients.ts', 'shared/env.ts'].map((file) => join(FUNCTIONS, file));

/** Builds a client or reads the environment at load: what a module of instances does, never a rule. */
const builds = (file: string) =>
  specifiers(file).some((s) => s.startsWith('.') && CLIENTS_AND_ENV.includes(resolved(file, s) ?? ''));

/** The feature folders' modules of instances, one per container, which the handlers import. */
const WIRING = [
  'rounds/repository.ts',
  'rounds/engine.ts',
  'rounds/files.ts',
  'proposals/adapters.ts',
  'proposals/retimer.ts',
  'delegation/store.ts',
  'privacy/eraser.ts',
];
const isWiring = (file: string) => WIRING.includes(relative(FUNCTIONS, file));

/** Talks to a service: in functions/adapters or functions/shared, or a feature's dynamo-, sfn- or s3- file. */
const isAdapter = (file: string) => {
  const folder = relative(FUNCTIONS, dirname(file));
  return folder === 'adapters' || folder === 'shared' || /^(dynamo|sfn|s3)-/.test(basename(file));
};

function resolved(from: string, specifier: string): string | undefined {
  const base = normalize(join(dirname(from), specifier));
  return [`${base}.ts`, join(base, 'index.ts'), base].find((c) => c.endsWith('.ts') && existsSync(c));
}

/** Every project file `file` imports, directly or through others. */
function reached(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const specifier of specifiers(file)) {
    const next = specifier.startsWith('.') ? resolved(file, specifier) : undefined;
    if (next) reached(next, seen);
  }
  return seen;
}

const allFiles = filesOf(FUNCTIONS);
const featureFiles = FEATURES.flatMap((feature) => filesOf(join(FUNCTIONS, feature)));
const rules = [
  ...filesOf(join(FUNCTIONS, 'domain')),
  ...featureFiles.filter((f) => !isAdapter(f) && !isWiring(f)),
];
const name = (file: string) => relative(ROOT, file);

describe('layering of functions/', () => {
  it('imports the AWS SDK only in adapters', () => {
    const outside = allFiles.filter((f) => importsSdk(f) && !isAdapter(f)).map(name);
    expect(outside).toEqual([]);
  });

  it('builds clients and reads the environment, in the domain and the feature folders, only in the wiring modules', () => {
    const building = [...filesOf(join(FUNCTIONS, 'domain')), ...featureFiles].filter(builds).map(name);
    expect(building.sort()).toEqual(WIRING.map((w) => `functions/${w}`).sort());
  });

  it('keeps the rules of the cases and of every feature folder away from the SDK and the wiring', () => {
    expect(rules.length).toBeGreaterThan(50);
    const crossings = rules.flatMap((rule) =>
      [...reached(rule)].filter((f) => importsSdk(f) || builds(f)).map((f) => `${name(rule)} -> ${name(f)}`),
    );
    expect(crossings).toEqual([]);
  });
});
