import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildStack, TWILIO } from './support';

/** Every acknowledgement in the tree: rule id and written reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id,
          reason,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['dev defaults', {}],
    [
      'prod with an SMS identity, logLevel ALL and an alarm e-mail',
      {
        protect: true,
        smsOriginationIdentity: 'phone-0123456789abcdef',
        workflowLogLevel: LogLevel.ALL,
        alarmEmail: 'beheer@example.nl',
      },
    ],
    ['smsProvider=twilio', { smsProvider: 'twilio' as const, twilio: TWILIO }],
  ])('reports no unacknowledged error or warning (%s)', (_label, props) => {
    const { app } = buildStack(props);
    const result = new AwsSolutionsChecks(app).validateScope(app);
    const findings = result.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('gives every acknowledgement a written reason', () => {
    const { app } = buildStack();
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/AwsSolutions-/);
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(30);
    }
  });

  it('still flags what is not acknowledged (the checks are live)', () => {
    const { app, stack } = buildStack();
    // A wildcard grant nobody justified must surface as an IAM5 error.
    stack.handlers
      .get('services')
      .addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    const result = new AwsSolutionsChecks(app).validateScope(app);
    expect(result.violations.map((v) => v.ruleName)).toContain('AwsSolutions-IAM5[Action::dynamodb:*]');
  });
});
