import { join } from 'node:path';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_NAMES, type HandlerName } from '../../lib/function-manifest';
import { type BundleCalls, CallAnalyser, handlerEntry } from './bundle-calls';
import { compare, type Resources } from './role-grants';
import { buildStack, type TestStack, TWILIO } from './support';

// Least privilege, proven from the code: for every function of every variant of the stack, the AWS
// actions its bundle can call (the SDK commands the reached code uses, the indexes its queries name,
// the secrets whose ARNs it reads) against what its role may do in the synthesized template.

const FIXTURE = join(__dirname, 'fixtures/extra-command.ts');
const analyser = new CallAnalyser([...HANDLER_NAMES.map(handlerEntry), FIXTURE]);
const calls = new Map<string, BundleCalls>();
const callsOf = async (entry: string): Promise<BundleCalls> => {
  const known = calls.get(entry);
  if (known) return known;
  const found = await analyser.analyse(entry);
  calls.set(entry, found);
  return found;
};

const VARIANTS = {
  'aws, no origination identity': {},
  'twilio, prod': { smsProvider: 'twilio' as const, twilio: TWILIO, protect: true },
  'aws, one phone number': { smsOriginationIdentity: 'phone-0123456789abcdef' },
};

const built = new Map<string, TestStack>();
beforeAll(() => {
  for (const [label, props] of Object.entries(VARIANTS)) built.set(label, buildStack(props));
});

function functionId(stack: TestStack, name: HandlerName): string {
  return stack.stack.getLogicalId(stack.stack.handlers.get(name).node.defaultChild as never);
}

describe('least privilege, from the code', () => {
  describe.each(Object.keys(VARIANTS))('%s', (label) => {
    it('grants every function exactly what its code calls', { timeout: 120_000 }, async () => {
      const stack = built.get(label) as TestStack;
      const resources = stack.template.toJSON().Resources as Resources;
      const report: Record<string, { missing: string[]; unused: string[]; unknown: string[] }> = {};
      for (const [name] of stack.stack.handlers.all()) {
        const found = await callsOf(handlerEntry(name));
        const { missing, unused } = compare(found, resources, functionId(stack, name));
        if (missing.length + unused.length + found.unknown.length > 0)
          report[name] = { missing, unused, unknown: found.unknown };
      }
      expect(report).toEqual({});
    });
  });

  it('reads calls through ports and adapters: reading functions write only their processing log', async () => {
    const getCase = await callsOf(handlerEntry('get-case'));
    // get-case bundles the whole repository class, but only its read methods run, and the one write
    // of a read: the processing log record (functions/adapters/dynamo-processing-log.ts)
    const tableActions = [...getCase.actions.keys()].filter((a) => a.startsWith('dynamodb:'));
    expect(tableActions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    const puts = [...(getCase.actions.get('dynamodb:PutItem') ?? [])];
    expect(puts.length).toBeGreaterThan(0);
    expect(puts.every((place) => place.startsWith('functions/adapters/dynamo-processing-log.ts:'))).toBe(
      true,
    );
    const listCases = await callsOf(handlerEntry('list-cases'));
    expect([...listCases.indexes].sort()).toEqual(['byService', 'byServiceCreated']);
    expect(listCases.tableQuery).toBe(false);
    // submit-step completes tasks through the TaskCompleter port: SfnTaskCompleter.completeTask
    expect((await callsOf(handlerEntry('submit-step'))).actions.has('states:SendTaskSuccess')).toBe(true);
  });

  // Both checks compare against get-case as it is, so they hold whatever else the branch still lacks.
  it('fails when a grant has no command (the check is live)', async () => {
    const getCase = await callsOf(handlerEntry('get-case'));
    const stack = built.get('aws, no origination identity') as TestStack;
    const before = compare(
      getCase,
      stack.template.toJSON().Resources as Resources,
      functionId(stack, 'get-case'),
    );
    const changed = buildStack({}, false, (s) =>
      s.handlers
        .get('get-case')
        .addToRolePolicy(
          new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [s.table.table.tableArn] }),
        ),
    );
    const resources = changed.template.toJSON().Resources as Resources;
    const after = compare(getCase, resources, functionId(changed, 'get-case'));
    expect(after.unused.filter((g) => !before.unused.includes(g))).toEqual([
      `dynamodb:DeleteItem <${tableId(resources)}.Arn>`,
    ]);
  });

  it('fails when a command has no grant (the check is live)', async () => {
    const stack = built.get('aws, no origination identity') as TestStack;
    const resources = stack.template.toJSON().Resources as Resources;
    const id = functionId(stack, 'get-case');
    const before = compare(await callsOf(handlerEntry('get-case')), resources, id);
    // get-case's code plus one DeleteCommand, compared with get-case's role
    const after = compare(await callsOf(FIXTURE), resources, id);
    expect(after.missing.filter((m) => !before.missing.includes(m))).toEqual([
      `dynamodb:DeleteItem <${tableId(resources)}.Arn> (test/lib/fixtures/extra-command.ts:12)`,
    ]);
  });
});

const tableId = (resources: Resources) =>
  Object.entries(resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')?.[0] ?? '';
