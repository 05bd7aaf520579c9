import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandlerName } from '../../lib/constructs/handler-function';
import { buildStack, type TestStack } from './support';

// Each handler module reads its environment at load (requireEnv). This test follows the real import
// graph of every handler bundle and checks that the stack gives the function every variable it requires.

const ROOT = resolve(__dirname, '../..');
const HANDLERS: HandlerName[] = [
  'open-step',
  'services',
  'create-case',
  'get-case',
  'list-cases',
  'cancel-case',
  'submit-step',
  'citizen-page',
  'sms-inbound',
  'console',
  'assets',
  'create-round',
  'start-round',
  'get-round',
  'round-validate',
  'round-start-cases',
  'round-finish',
];

async function requiredEnv(name: HandlerName): Promise<string[]> {
  const result = await build({
    entryPoints: [join(ROOT, 'functions/handlers', `${name}.ts`)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  const own = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
  const names = new Set<string>();
  for (const file of own) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/requireEnv\('([A-Z0-9_]+)'\)/g)) {
      if (m[1]) names.add(m[1]);
    }
  }
  return [...names].sort();
}

let stack: TestStack;
beforeAll(() => {
  stack = buildStack();
});

describe('environment contract', () => {
  it.each(HANDLERS)('%s gets every variable its modules require at load', async (name) => {
    const required = await requiredEnv(name);
    const fn = stack.stack.handlers.fns[name];
    const env = (
      stack.template.toJSON().Resources as Record<
        string,
        { Properties: { Environment?: { Variables: object } } }
      >
    )[stack.stack.getLogicalId(fn.node.defaultChild as never)]?.Properties.Environment?.Variables;
    expect(Object.keys(env ?? {})).toEqual(expect.arrayContaining(required));
  });

  it('finds required variables through the import graph (the scan is live)', async () => {
    // create-case reaches TABLE_NAME through adapters/repository and PII_KEY through shared/vault
    expect(await requiredEnv('create-case')).toEqual(
      expect.arrayContaining(['PII_KEY', 'PUBLIC_URL', 'TABLE_NAME']),
    );
  });
});
