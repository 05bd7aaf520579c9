import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerName, handlersFor, manifestOf } from '../../../lib/function-manifest';
import { buildStack, STACK_NAME, TWILIO } from '../support';
import { list, StackView, type Statement } from '../template';

// The Handlers construct turns the manifest into exactly these policies and environments.

let aws: StackView;
let twilio: StackView;
let scoped: StackView;

beforeAll(() => {
  aws = new StackView(buildStack());
  twilio = new StackView(buildStack({ smsProvider: 'twilio', twilio: TWILIO }));
  scoped = new StackView(
    buildStack({ smsOriginationIdentity: 'arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abc' }),
  );
});

const partitionArn = (service: string, rest: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${rest}`,
    ],
  ],
});
const machines = ['care-plan', 'child-development', 'waste-collection'];

/** Statements as sorted `action resource` pairs, whatever way minimizePolicies merged them. */
const pair = (action: string, resource: unknown) => `${action} ${JSON.stringify(resource)}`;
const pairs = (statements: Statement[]) =>
  statements.flatMap((s) => list(s.Action).flatMap((a) => list(s.Resource).map((r) => pair(a, r)))).sort();

describe('Handlers', () => {
  it('grants each function exactly the DynamoDB actions of its manifest entry, on the table and named indexes', () => {
    const table = aws.idOf('AWS::DynamoDB::Table');
    const arn = { 'Fn::GetAtt': [table, 'Arn'] };
    for (const name of handlersFor('aws')) {
      const declared = manifestOf(name).table;
      const expected = [
        ...(declared?.actions ?? []).map((a) => pair(`dynamodb:${a}`, arn)),
        ...(declared?.indexes ?? []).map((i) =>
          pair('dynamodb:Query', { 'Fn::Join': ['', [arn, `/index/${i}`]] }),
        ),
      ].sort();
      expect(pairs(aws.statementsFor(name, 'dynamodb')), name).toEqual(expected);
      if (declared) expect(aws.env(name).TABLE_NAME, name).toEqual({ Ref: table });
      else expect(aws.env(name).TABLE_NAME, name).toBeUndefined();
    }
    // No function may scan. Only the case lists read by key in batches (a page of the keys-only
    // byServiceCreated index); only the inbound SMS functions (opt-outs) and the console (sign-out ends
    // the server-side session) delete.
    const everything = handlersFor('aws').flatMap((name) => aws.actions(name).map((a) => `${name} ${a}`));
    expect(everything.filter((a) => /dynamodb:(Scan|\*)/.test(a))).toEqual([]);
    expect(everything.filter((a) => a.endsWith('dynamodb:BatchGetItem')).sort()).toEqual([
      'console dynamodb:BatchGetItem',
      'list-cases dynamodb:BatchGetItem',
    ]);
    expect(everything.filter((a) => a.endsWith('dynamodb:DeleteItem')).sort()).toEqual([
      'console dynamodb:DeleteItem',
      'sms-inbound-topic dynamodb:DeleteItem',
    ]);
    expect(twilio.actions('sms-inbound')).toContain('dynamodb:DeleteItem');
  });

  it('lets functions start, describe, stop and redrive only executions of the service machines, as declared', () => {
    const actionOf = {
      start: 'states:StartExecution',
      describe: 'states:DescribeExecution',
      stop: 'states:StopExecution',
      redrive: 'states:RedriveExecution',
    };
    for (const name of handlersFor('aws').filter((n) => n !== 'start-round')) {
      const expected = (manifestOf(name).serviceExecutions ?? []).flatMap((right) =>
        machines.map((m) =>
          right === 'start'
            ? pair(actionOf[right], partitionArn('states', `stateMachine:${STACK_NAME}-${m}`))
            : pair(actionOf[right], partitionArn('states', `execution:${STACK_NAME}-${m}:*`)),
        ),
      );
      const found = pairs(aws.statementsFor(name, 'states')).filter(
        (p) => !/^states:SendTask(Success|Failure)/.test(p),
      );
      expect(found, name).toEqual(expected.sort());
    }
    expect(aws.actions('console')).toEqual(
      expect.arrayContaining(['states:RedriveExecution', 'states:StopExecution']),
    );
    expect(aws.actions('redrive-case').filter((a) => a.startsWith('states:'))).toEqual([
      'states:DescribeExecution',
      'states:RedriveExecution',
    ]);
    expect(aws.actions('case-failed').filter((a) => a.startsWith('states:'))).toEqual([
      'states:DescribeExecution',
    ]);
  });

  it('lets start-round, and only start-round, start the round machine', () => {
    expect(aws.statementsFor('start-round', 'states')).toEqual([
      {
        Action: 'states:StartExecution',
        Effect: 'Allow',
        Resource: partitionArn('states', `stateMachine:${STACK_NAME}-round`),
      },
    ]);
    for (const name of handlersFor('aws').filter((n) => n !== 'start-round')) {
      expect(aws.env(name).ROUND_STATE_MACHINE_ARN, name).toBeUndefined();
      expect(JSON.stringify(aws.statements(name)), name).not.toContain(`${STACK_NAME}-round`);
    }
  });

  it('grants SendTaskSuccess (no resource-level permissions) only to the functions that complete steps', () => {
    for (const name of handlersFor('aws')) {
      const completes = aws
        .statements(name)
        .some((s) => [s.Action].flat().includes('states:SendTaskSuccess') && s.Resource === '*');
      expect(completes, name).toBe(manifestOf(name).completesTasks === true);
    }
  });

  it('grants SendTaskFailure (Step.Retimed) only to the functions that re-time a step’s wait', () => {
    const failing = handlersFor('aws').filter((name) =>
      aws
        .statements(name)
        .some((s) => [s.Action].flat().includes('states:SendTaskFailure') && s.Resource === '*'),
    );
    expect(failing.sort()).toEqual(
      handlersFor('aws')
        .filter((name) => manifestOf(name).failsTasks === true)
        .sort(),
    );
    expect(failing).toEqual(expect.arrayContaining(['open-step', 'case-proposals', 'citizen-proposals']));
    // The re-time task reads the step, nothing more.
    expect(
      aws.actions('retime-step').filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')),
    ).toEqual(['dynamodb:GetItem']);
  });

  it('gives each round function exactly its S3 actions on its kind of round file, and ROUND_BUCKET', () => {
    const bucket = aws.idOf('AWS::S3::Bucket', (r) => r.Properties.LoggingConfiguration !== undefined);
    const arn = { 'Fn::GetAtt': [bucket, 'Arn'] };
    const file = (f: string) => ({ 'Fn::Join': ['', [arn, `/rounds/*/${f}`]] });
    const s3 = (name: HandlerName) =>
      aws.statementsFor(name, 's3').map(({ Action, Resource }) => ({ Action, Resource }));
    expect(s3('create-round')).toEqual([{ Action: 's3:PutObject', Resource: file('upload.csv') }]);
    expect(s3('start-round')).toEqual([
      { Action: 's3:GetObject', Resource: file('upload.csv') },
      { Action: 's3:ListBucket', Resource: arn },
    ]);
    expect(s3('round-validate')).toEqual([
      // a refused upload is removed: it holds the rows in clear
      { Action: ['s3:DeleteObject', 's3:GetObject'], Resource: file('upload.csv') },
      // valid.csv is removed again when a round is refused after it was written
      { Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], Resource: file('valid.csv') },
    ]);
    expect(s3('round-finish')).toEqual([
      { Action: 's3:DeleteObject', Resource: [file('upload.csv'), file('valid.csv')] },
    ]);
    for (const name of ['create-round', 'start-round', 'round-validate', 'round-finish'] as const)
      expect(aws.env(name).ROUND_BUCKET, name).toEqual({ Ref: bucket });
    for (const name of ['get-round', 'round-start-cases', 'create-case', 'console', 'services'] as const) {
      expect(s3(name), name).toEqual([]);
      expect(aws.env(name).ROUND_BUCKET, name).toBeUndefined();
    }
  });

  it('sends SMS through the provider: End User Messaging (scoped to the identity) or Twilio (no AWS action)', () => {
    const senders = handlersFor('aws').filter((n) => aws.actions(n).includes('sms-voice:SendTextMessage'));
    // A reopening texts the citizen from whichever function reopens: the API, the citizen page, the console.
    expect(senders.sort()).toEqual([
      // The citizen is texted of the organisation's proposed due date.
      'case-proposals',
      'citizen-page',
      'console',
      'open-step',
      'reopen-case',
      'sms-inbound-topic',
    ]);
    expect(aws.env('open-step')).toMatchObject({ SMS_PROVIDER: 'aws' });
    expect(aws.env('open-step').SMS_ORIGINATION_IDENTITY).toBeUndefined();
    expect(scoped.statementsFor('open-step', 'sms-voice')).toEqual([
      {
        Action: 'sms-voice:SendTextMessage',
        Effect: 'Allow',
        Resource: [
          'arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abc',
          partitionArn('sms-voice', 'opt-out-list/*'),
        ],
      },
    ]);
    // sms-inbound-topic exists only under aws: nothing to choose, so no SMS_PROVIDER
    expect(aws.env('sms-inbound-topic').SMS_PROVIDER).toBeUndefined();
    expect(scoped.env('sms-inbound-topic').SMS_ORIGINATION_IDENTITY).toBe(
      'arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abc',
    );
    for (const name of handlersFor('twilio'))
      expect(
        twilio.actions(name).filter((a) => a.startsWith('sms-voice:')),
        name,
      ).toEqual([]);
    expect(twilio.env('open-step')).toMatchObject({
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      TWILIO_FROM: TWILIO.from,
      TWILIO_API_URL: 'https://api.twilio.com',
    });
  });

  it('gives secrets as ARNs only, and GetSecretValue on exactly the secrets each function reads', () => {
    for (const view of [aws, twilio]) {
      const secrets = Object.fromEntries(
        view
          .ofType('AWS::SecretsManager::Secret')
          .map(([id, r]) => [String(r.Properties.Name).split('/')[2], id]),
      );
      for (const [name] of view.test.stack.handlers.all()) {
        const env = view.env(name);
        const text = JSON.stringify(env);
        expect(text, name).not.toMatch(/resolve:secretsmanager|PII_KEY"|TWILIO_AUTH_TOKEN"/);
        const declared = new Set(manifestOf(name).secrets ?? []);
        if (manifestOf(name).sendsSms && view === twilio) declared.add('twilioAuthToken');
        const ids = [...declared].map((s) => secrets[s === 'piiKey' ? 'pii-key' : 'twilio-auth-token']);
        const statements = view.statementsFor(name, 'secretsmanager');
        expect(
          statements.flatMap((s) => list(s.Action)).every((a) => a === 'secretsmanager:GetSecretValue'),
        ).toBe(true);
        expect(
          statements.flatMap((s) => list(s.Resource)),
          name,
        ).toEqual(ids.map((id) => ({ Ref: id })));
        const arns = Object.entries(env).filter(([k]) => k.endsWith('_SECRET_ARN'));
        expect(arns.map(([, v]) => v).sort(), name).toEqual(ids.map((id) => ({ Ref: id })).sort());
      }
    }
  });

  it('gives the services and assets functions nothing but logs and tracing', () => {
    for (const name of ['services', 'assets'] as const) {
      expect(aws.actions(name).filter((a) => !/^(logs|xray):/.test(a))).toEqual([]);
      expect(Object.keys(aws.env(name))).toEqual(['POWERTOOLS_SERVICE_NAME']);
    }
  });
});
