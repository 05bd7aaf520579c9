import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStack, TWILIO } from './support';

// cfn-lint (on the machine image) reads the synthesized templates as CloudFormation will: no errors,
// and no warning except the one CDK itself causes and that is harmless:
//
//   W3005 on a Lambda function or a state machine that DependsOn its own execution role: CDK renders
//   both the DependsOn (so that the role's policies exist before the function can run) and the
//   GetAtt Role.Arn; the DependsOn on the role itself is redundant, never wrong. Only this exact
//   shape is allowed, so a redundant DependsOn of our own still fails.

interface Finding {
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[] };
}

function cfnLint(template: object): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'coproduce-lint-'));
  const file = join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template));
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error('cfn-lint is not installed: `pip install cfn-lint` (the project machine image has it)');
  if (run.stdout.trim() === '')
    throw new Error(`cfn-lint printed nothing (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Finding[];
}

/** CDK's DependsOn on the execution role next to the GetAtt of the role's ARN (see above). */
const roleDependency = (f: Finding) =>
  f.Rule.Id === 'W3005' &&
  /^'\S+Role[0-9A-F]{8}' dependency already enforced by a 'GetAtt' at 'Resources\/\S+\/Properties\/Role(Arn)?'$/.test(
    f.Message,
  );

describe('cfn-lint', () => {
  it.each([
    ['smsProvider=aws, dev', {}],
    ['smsProvider=twilio, dev', { smsProvider: 'twilio' as const, twilio: TWILIO }],
    [
      'prod, an SMS identity, an alarm e-mail',
      { protect: true, smsOriginationIdentity: 'phone-0123456789abcdef', alarmEmail: 'beheer@example.nl' },
    ],
  ])('finds no error and no unexplained warning (%s)', { timeout: 120_000 }, (_label, props) => {
    const findings = cfnLint(buildStack(props).template.toJSON());
    const unexplained = findings
      .filter((f) => !roleDependency(f))
      .map((f) => `${f.Level} ${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(unexplained).toEqual([]);
  });

  it('reports what it finds (the check is live)', () => {
    const findings = cfnLint({
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 'often' } } },
    });
    expect(findings.some((f) => f.Level === 'Error')).toBe(true);
  });
});
