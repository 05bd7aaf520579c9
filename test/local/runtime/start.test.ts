import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRuntime } from '../../../local/runtime/runtime';
import { parseStartArgs } from '../../../local/runtime/start-args';
import { isUpToDate } from '../../../local/runtime/synth';
import { unemulatedLines } from '../../../local/runtime/unemulated';
import { writeAssembly, writeFixture } from './fixture';

const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start arguments', () => {
  it('takes CDK context as cdk synth does, with the local Twilio defaults for smsProvider=twilio', () => {
    expect(parseStartArgs([])).toEqual({ context: {} });
    expect(
      parseStartArgs([
        '-c',
        'stage=test',
        '--context',
        'logLevel=ALL',
        '--context=publicUrl=https://x.nl/a=b',
      ]),
    ).toEqual({
      context: { stage: 'test', logLevel: 'ALL', publicUrl: 'https://x.nl/a=b' },
    });
    expect(parseStartArgs(['-c', 'smsProvider=twilio']).context).toEqual({
      smsProvider: 'twilio',
      twilioAccountSid: 'AC00000000000000000000000000000000',
      twilioFrom: '+3197010000000',
    });
    expect(parseStartArgs(['-c', 'smsProvider=twilio', '-c', 'twilioFrom=MG0123']).context.twilioFrom).toBe(
      'MG0123',
    );
  });

  it('takes an assembly to run as it is, and refuses what it does not understand', () => {
    expect(parseStartArgs(['--assembly', 'out/dir'])).toEqual({ context: {}, assembly: 'out/dir' });
    expect(() => parseStartArgs(['--assembly', 'x', '-c', 'a=b'])).toThrow(/takes no -c context/);
    expect(() => parseStartArgs(['-c', 'novalue'])).toThrow(/key=value/);
    expect(() => parseStartArgs(['-c'])).toThrow(/needs a value/);
    expect(() => parseStartArgs(['--watch'])).toThrow(/unknown argument '--watch'/);
  });
});

describe('synth', () => {
  it('is redone when the context differs from the last synth of cdk.out', () => {
    const root = temp('coproduce-synth-');
    const source = join(root, 'lib', 'stack.ts');
    mkdirSync(join(root, 'lib'));
    mkdirSync(join(root, 'cdk.out'));
    writeFileSync(source, '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);
    writeFileSync(join(root, 'cdk.out', 'manifest.json'), '{}');
    // Synthesized by hand (no record of its context): taken as synthesized without context.
    expect(isUpToDate(root, join(root, 'cdk.out'), {})).toBe(true);
    expect(isUpToDate(root, join(root, 'cdk.out'), { smsProvider: 'twilio' })).toBe(false);
    writeFileSync(
      join(root, 'cdk.out', '.local-context.json'),
      JSON.stringify({ smsProvider: 'twilio', stage: 'dev' }),
    );
    expect(isUpToDate(root, join(root, 'cdk.out'), { stage: 'dev', smsProvider: 'twilio' })).toBe(true);
    expect(isUpToDate(root, join(root, 'cdk.out'), {})).toBe(false);
    // A newer source file makes any cdk.out stale.
    utimesSync(source, new Date(), new Date(Date.now() + 60_000));
    expect(isUpToDate(root, join(root, 'cdk.out'), { stage: 'dev', smsProvider: 'twilio' })).toBe(false);
  });
});

describe('npm start -- --assembly DIR', () => {
  it('runs the given assembly as it is, without synthesizing', async () => {
    const assembly = writeFixture(join(process.cwd(), '.data', 'test-fixtures'));
    dirs.push(assembly);
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--assembly', assembly], {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: temp('coproduce-start-'),
        LOCAL_DEMO: '0',
        NODE_NO_WARNINGS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`did not start:\n${output}`)), 60_000);
      child.stdout.on('data', () => {
        const m = /Ready: (\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          ok(m[1] as string);
        }
      });
      child.once('exit', (code) => fail(new Error(`exited ${code}:\n${output}`)));
    });
    try {
      expect((await fetch(`${url}/plain`)).status).toBe(200);
      expect(output).toContain(`Running the cloud assembly in ${assembly} as it is (no synth)`);
      expect(output).not.toContain('Synthesizing');
    } finally {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGINT');
      await exited;
    }
  });
});

describe('what is not emulated', () => {
  it('is one line per resource type, with the reason', () => {
    const lines = unemulatedLines({
      Resources: {
        A1: { Type: 'AWS::CloudWatch::Alarm' },
        A2: { Type: 'AWS::CloudWatch::Alarm' },
        D: { Type: 'AWS::CloudWatch::Dashboard' },
        K: { Type: 'AWS::KMS::Key' },
        C: { Type: 'Custom::S3AutoDeleteObjects' },
        T: { Type: 'AWS::DynamoDB::Table' },
        X: { Type: 'AWS::Pipes::Pipe' },
      },
    });
    expect(lines).toEqual([
      'not emulated: AWS::CloudFormation::CustomResource (1): custom resources do not run locally',
      'not emulated: AWS::CloudWatch::Alarm (2): alarms are not evaluated',
      'not emulated: AWS::CloudWatch::Dashboard (1): no dashboards locally',
      'not emulated: AWS::KMS::Key (1): no encryption at rest locally',
      'not emulated: AWS::Pipes::Pipe (1): not emulated',
    ]);
  });
});

describe('what the functions need but the runtime cannot serve', () => {
  const root = join(process.cwd(), '.data', 'test-fixtures');
  const start = (cdkOut: string, iam = true) =>
    startRuntime({ cdkOut, dataDir: temp('coproduce-refuse-'), port: 0, iam, faults: {} });

  it('stops the start, naming the function, the variable and the resource type', async () => {
    const assembly = writeAssembly(
      root,
      {
        Worker: { code: 'exports.handler = async () => 1;', environment: { QUEUE_URL: { Ref: 'Jobs' } } },
        Other: {
          code: 'exports.handler = async () => 2;',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not JavaScript
          environment: { KEY: { 'Fn::Sub': '${Key.Arn}' } },
        },
      },
      { Jobs: { Type: 'AWS::SQS::Queue', Properties: {} }, Key: { Type: 'AWS::KMS::Key', Properties: {} } },
    );
    dirs.push(assembly);
    await expect(start(assembly)).rejects.toThrow(
      'The local runtime cannot run this template:\n' +
        '  function Worker: QUEUE_URL refers to Jobs (AWS::SQS::Queue), which the local runtime does not emulate\n' +
        '  function Other: KEY refers to Key (AWS::KMS::Key), which the local runtime does not emulate',
    );
  });

  it('stops the start when a function has no execution role in the template, unless LOCAL_IAM=off', async () => {
    const assembly = writeAssembly(root, { Orphan: { code: 'exports.handler = async () => 1;' } }, {});
    dirs.push(assembly);
    const file = join(assembly, 'demo-stack.template.json');
    const template = JSON.parse(readFileSync(file, 'utf8'));
    template.Resources.Orphan.Properties.Role = 'arn:aws:iam::000000000000:role/made-elsewhere';
    writeFileSync(file, JSON.stringify(template));
    await expect(start(assembly)).rejects.toThrow(
      /IAM: Orphan \(role arn:aws:iam::000000000000:role\/made-elsewhere\): no execution role in the template/,
    );
    const unchecked = await start(assembly, false);
    await expect(unchecked.lambda.invoke('demo-stack-Orphan', {})).resolves.toBe(1);
    await unchecked.stop();
  });
});
