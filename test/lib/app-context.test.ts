import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { cdkContext, definitions } from './support';

// bin/app.ts run the way the CDK CLI runs it (context in CDK_CONTEXT_JSON, output in CDK_OUTDIR),
// without bundling: the round settings must travel from context into the template.

const ROOT = resolve(__dirname, '../..');

function synth(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'coproduce-app-'));
  const result = spawnSync('npx', ['tsx', 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        ...cdkContext(),
        stage: 'ctx',
        'aws:cdk:bundling-stacks': [],
        ...context,
      }),
    },
  });
  return { ...result, outdir };
}

describe('bin/app.ts context', () => {
  it('passes roundMaxConcurrency, roundToleratedFailurePercentage, roundBatchSize and roundFileDays on', {
    timeout: 240_000,
  }, () => {
    const run = synth({
      roundMaxConcurrency: 4,
      roundToleratedFailurePercentage: 7,
      roundBatchSize: '25', // `-c key=value` arrives as a string
      roundFileDays: 9,
    });
    expect(run.status, run.stderr).toBe(0);
    const template = Template.fromJSON(
      JSON.parse(readFileSync(join(run.outdir, 'coproduce-ctx.template.json'), 'utf8')),
    );
    const map = definitions(template).get('coproduce-ctx-round')?.States['Start cases'] as unknown as {
      MaxConcurrency: number;
      ToleratedFailurePercentage: number;
      ItemBatcher: { MaxItemsPerBatch: number };
    };
    expect(map.MaxConcurrency).toBe(4);
    expect(map.ToleratedFailurePercentage).toBe(7);
    expect(map.ItemBatcher.MaxItemsPerBatch).toBe(25);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          { Id: 'expire-round-files', Prefix: 'rounds/', ExpirationInDays: 9, Status: 'Enabled' },
          {
            Id: 'abort-incomplete-uploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it('names a bad round setting instead of synthesising', { timeout: 240_000 }, () => {
    const run = synth({ roundBatchSize: 'lots' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('context roundBatchSize');
  });

  it('names a staff e-mail setting that SES could not send from', { timeout: 240_000 }, () => {
    expect(synth({ staffEmailFrom: 'gemeente' }).stderr).toContain(
      "context staffEmailFrom: an e-mail address ('gemeente')",
    );
    const other = synth({ staffEmailFrom: 'noreply@gemeente.nl', staffEmailDomain: 'example.nl' });
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain("context staffEmailDomain: the domain of staffEmailFrom ('example.nl')");
    expect(synth({ staffEmailDomain: 'gemeente.nl' }).stderr).toContain(
      'context staffEmailDomain needs staffEmailFrom',
    );
  });

  it('refuses smsProvider=twilio without its settings, naming each missing one', { timeout: 240_000 }, () => {
    const run = synth({ smsProvider: 'twilio' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('context twilioAccountSid is required with smsProvider=twilio');
    expect(run.stderr).toContain('context twilioFrom is required with smsProvider=twilio');
    const bad = synth({ smsProvider: 'twilio', twilioAccountSid: 'AC123', twilioFrom: '+3197010000000' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("context twilioAccountSid: AC followed by 32 hex characters ('AC123')");
    expect(synth({ smsProvider: 'carrier-pigeon' }).stderr).toContain('context smsProvider: aws or twilio');
  });

  it('builds the Twilio variant from context: its secret, webhook and no inbound topic', {
    timeout: 240_000,
  }, () => {
    const run = synth({
      smsProvider: 'twilio',
      twilioAccountSid: 'AC0123456789abcdef0123456789abcdef',
      twilioFrom: 'MG0123456789abcdef0123456789abcdef',
      alarmEmail: 'beheer@example.nl',
    });
    expect(run.status, run.stderr).toBe(0);
    const template = Template.fromJSON(
      JSON.parse(readFileSync(join(run.outdir, 'coproduce-ctx.template.json'), 'utf8')),
    );
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'coproduce/ctx/twilio-auth-token',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
          TWILIO_FROM: 'MG0123456789abcdef0123456789abcdef',
        }),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'beheer@example.nl',
    });
    expect(Object.keys(template.toJSON().Outputs)).toContain('SmsWebhookUrl');
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('SmsInboundTopicArn');
  });
});
