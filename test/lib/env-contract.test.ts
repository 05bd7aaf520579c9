import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES, type HandlerName, handlersFor, type SmsProvider } from '../../lib/function-manifest';
import { CallAnalyser, handlerEntry } from './bundle-calls';
import { buildStack, type TestStack, TWILIO } from './support';

// Each handler module reads its environment at load (requireEnv). This test follows the real import
// graph of every handler bundle and checks that the stack gives the function every variable it
// requires, and no variable its code never names (a setting is given to the functions that use it).

const ROOT = resolve(__dirname, '../..');

async function requiredEnv(name: HandlerName): Promise<string[]> {
  const result = await build({
    entryPoints: [handlerEntry(name)],
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

const stacks: Record<string, TestStack> = {};
beforeAll(() => {
  stacks.aws = buildStack();
  stacks.twilio = buildStack({ smsProvider: 'twilio', twilio: TWILIO });
});

function environment(stack: TestStack, name: HandlerName): Record<string, unknown> | undefined {
  const fn = stack.stack.handlers.find(name);
  if (!fn) return undefined;
  const resources = stack.template.toJSON().Resources as Record<
    string,
    { Properties: { Environment?: { Variables: Record<string, unknown> } } }
  >;
  return resources[stack.stack.getLogicalId(fn.node.defaultChild as never)]?.Properties.Environment
    ?.Variables;
}

const analyser = new CallAnalyser(HANDLER_NAMES.map(handlerEntry));

describe('environment contract', () => {
  describe.each(['aws', 'twilio'] as SmsProvider[])('smsProvider=%s', (provider) => {
    it.each(handlersFor(provider))('%s gets every variable its modules require at load', async (name) => {
      const env = environment(stacks[provider] as TestStack, name) ?? {};
      // The notifier requires the Twilio variables only when Twilio is the provider (SMS_PROVIDER).
      const required = (await requiredEnv(name)).filter(
        (v) => provider === 'twilio' || !v.startsWith('TWILIO_'),
      );
      expect(Object.keys(env)).toEqual(expect.arrayContaining(required));
    });

    it.each(handlersFor(provider))('%s gets no variable its code never reads', async (name) => {
      const env = environment(stacks[provider] as TestStack, name) ?? {};
      const read = (await analyser.analyse(handlerEntry(name))).names;
      // Every function is named by POWERTOOLS_SERVICE_NAME (handler-function.ts), which the logger reads
      // in those that log.
      const unread = Object.keys(env).filter((key) => key !== 'POWERTOOLS_SERVICE_NAME' && !read.has(key));
      expect(unread).toEqual([]);
    });
  });

  it('finds required variables through the import graph (the scan is live)', async () => {
    // create-case reaches TABLE_NAME through adapters/repository and PUBLIC_URL through shared/settings
    expect(await requiredEnv('create-case')).toEqual(expect.arrayContaining(['PUBLIC_URL', 'TABLE_NAME']));
  });

  it('gives each provider its own inbound SMS function', () => {
    expect(stacks.aws?.stack.handlers.find('sms-inbound')).toBeUndefined();
    expect(stacks.aws?.stack.handlers.find('sms-inbound-topic')).toBeDefined();
    expect(stacks.twilio?.stack.handlers.find('sms-inbound-topic')).toBeUndefined();
    expect(stacks.twilio?.stack.handlers.find('sms-inbound')).toBeDefined();
  });
});
