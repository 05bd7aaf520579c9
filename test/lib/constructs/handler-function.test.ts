import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { HandlerFunction } from '../../../lib/constructs/handler-function';
import { serviceSources } from '../../../workflows/sources';
import { cdkContext } from '../support';

/** Synthesises one bundled function into a fresh directory, from a working directory elsewhere. */
function synthOne() {
  const outdir = mkdtempSync(join(tmpdir(), 'coproduce-fn-'));
  const cwd = process.cwd();
  process.chdir(tmpdir()); // entry and lock file must not depend on the working directory
  try {
    const app = new App({ outdir, context: cdkContext() });
    const stack = new Stack(app, 'fn');
    new HandlerFunction(stack, 'Services', { name: 'services', retention: RetentionDays.ONE_MONTH });
    app.synth();
    return { outdir, template: Template.fromStack(stack).toJSON() };
  } finally {
    process.chdir(cwd);
  }
}

describe('HandlerFunction', () => {
  it('bundles deterministically with source maps but without sources, and the project defaults', {
    timeout: 180_000,
  }, () => {
    const first = synthOne();
    const second = synthOne();
    expect(second.template).toEqual(first.template);

    const fn = Object.values(
      first.template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: { POWERTOOLS_SERVICE_NAME: 'coproduce-services' },
      },
    });
    const assetKey =
      (fn?.Properties.Code as { S3Key: string } | undefined)?.S3Key.replace(/\.zip$/, '') ?? '';
    const dir = join(first.outdir, `asset.${assetKey}`);
    expect(existsSync(join(dir, 'index.js'))).toBe(true);
    const map = JSON.parse(readFileSync(join(dir, 'index.js.map'), 'utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources.some((s) => s.endsWith('functions/handlers/services.ts'))).toBe(true);
    // CommonJS output, so the local runtime can load it with require on Node 20
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(code).toMatch(/module\.exports/);
    // node:stream/web (pulled in by middy) is loaded lazily, through the alias
    expect(map.sources.some((s) => s.endsWith('functions/shared/lazy-stream-web.cjs'))).toBe(true);
    // The catalog comes as JSON (workflows/catalog.ts); its sources and their normalizing stay out.
    expect(map.sources.some((s) => s.endsWith('workflows/catalog.ts'))).toBe(true);
    expect(
      map.sources.filter((s) => /workflows\/(services\/|sources|normalize|define|feedback)/.test(s)),
    ).toEqual([]);
    expect(code).toContain(`JSON.parse(\`${JSON.stringify(serviceSources()).slice(0, 80)}`);
  });

  it('writes to its own log group with retention, through its own role (no managed policy)', () => {
    const app = new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'fn');
    new HandlerFunction(stack, 'Services', { name: 'services', retention: RetentionDays.ONE_MONTH });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('ServicesLogs') } },
    });
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0]?.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServicesLogs'), 'Arn'] },
          },
        ],
      },
    });
  });
});
