import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildStack,
  definitions,
  findCycle,
  resolveFake,
  STACK_NAME,
  type TestStack,
  validateAsl,
} from './support';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }
>;

const serviceIds = readdirSync(join(__dirname, '../../workflows/services'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

let dev: TestStack;
let resources: Resources;

beforeAll(() => {
  dev = buildStack({ publicUrl: 'https://coproduce.example.nl/' });
  resources = dev.template.toJSON().Resources as Resources;
});

/** The logical id of the function built from functions/handlers/<name>.ts. */
function fnId(name: string): string {
  const id = Object.entries(resources).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' && (r.Properties.Description as string) === `coproduce ${name}`,
  )?.[0];
  if (!id) throw new Error(`no function ${name}`);
  return id;
}

function resource(id: string) {
  const r = resources[id];
  if (!r) throw new Error(`no resource ${id}`);
  return r;
}

/** All statements of policies attached to the function's role. */
function statementsOf(name: string): Statement[] {
  const role = (resource(fnId(name)).Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (name: string) =>
  statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const envOf = (name: string) =>
  (resource(fnId(name)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const tableId = () => Object.entries(resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')?.[0] ?? '';

describe('CoproduceStack', () => {
  it('has the single table: keys, both GSIs, TTL, PITR, on-demand billing', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byPhone',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byService',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byRound',
          KeySchema: [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
          // stage and status only: the round's spread needs no personal data in a second index
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['stage', 'status'] },
        },
      ],
    });
    expect(resources[tableId()]?.DeletionPolicy).toBe('Delete');
  });

  it('protects the table and the user pool when protect is set (prod)', () => {
    const prod = buildStack({ protect: true });
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    expect(
      Object.values(prod.template.findResources('AWS::S3::Bucket')).map((r) => r.DeletionPolicy),
    ).toEqual(['Retain', 'Retain']);
    prod.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('compiles one state machine per workflow file plus the round machine, each valid ASL, traced and logged', () => {
    expect(serviceIds.length).toBeGreaterThan(0);
    const defs = definitions(dev.template);
    expect([...defs.keys()].sort()).toEqual(
      [...serviceIds.map((id) => `${STACK_NAME}-${id}`), `${STACK_NAME}-round`].sort(),
    );
    expect(defs.get(`${STACK_NAME}-round`)?.States['Start cases']?.Type).toBe('Map');
    for (const [name, asl] of defs) {
      const result = validateAsl(asl);
      expect({ name, errors: result.errors }).toEqual({ name, errors: [] });
    }
    for (const id of [...serviceIds, 'round']) {
      dev.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `${STACK_NAME}-${id}`,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      });
    }
  });

  it('builds every function the same way: newest Node.js, arm64, 512 MB, active tracing, source maps', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns).toHaveLength(17);
    for (const fn of fns) {
      const validator = fn.Properties.Description === 'coproduce round-validate';
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: validator ? 1024 : 512,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
    // The round's Step Functions tasks run longer than an HTTP request may.
    const timeout = (name: string) => resource(fnId(name)).Properties.Timeout;
    expect(timeout('create-case')).toBe(10);
    expect(timeout('round-validate')).toBe(900);
    expect(timeout('round-start-cases')).toBe(120);
    expect(timeout('round-finish')).toBe(60);
    for (const name of ['create-round', 'start-round', 'get-round']) expect(timeout(name)).toBe(10);
  });

  it('routes every path of the HTTP contract, with the JWT authorizer exactly on provider routes', () => {
    const routes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => [r.Properties.RouteKey as string, r.Properties.AuthorizationType as string] as const)
      .sort();
    expect(routes).toEqual(
      [
        ['GET /c/{linkToken}', 'NONE'],
        ['GET /c/assets/{file}', 'NONE'],
        ['GET /cases', 'JWT'],
        ['GET /cases/{caseId}', 'JWT'],
        ['GET /services', 'NONE'],
        ['POST /c/{linkToken}/steps/{stepId}', 'NONE'],
        ['POST /cases', 'JWT'],
        ['POST /cases/{caseId}/cancel', 'JWT'],
        ['POST /cases/{caseId}/steps/{stepId}', 'JWT'],
        ['POST /sms/inbound', 'NONE'],
        ['POST /rounds', 'JWT'],
        ['GET /rounds/{roundId}', 'JWT'],
        ['POST /rounds/{roundId}/start', 'JWT'],
        ['GET /console', 'NONE'],
        ['GET /console/{proxy+}', 'NONE'],
        ['POST /console/{proxy+}', 'NONE'],
      ].sort(),
    );
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('Console') }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/',
              { Ref: Match.stringLikeRegexp('UserPool') },
            ],
          ],
        },
      },
    });
  });

  it('logs access on the $default stage without raw paths, throttles, and has no CORS', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('\\$context\\.routeKey'),
      },
    });
    const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(JSON.stringify(stage?.Properties.AccessLogSettings)).not.toContain('$context.path');
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
  });

  it('scopes table grants to the table ARN and its indexes, read-only where reading suffices', () => {
    const table = tableId();
    for (const name of [
      'create-case',
      'get-case',
      'list-cases',
      'cancel-case',
      'submit-step',
      'citizen-page',
      'sms-inbound',
      'open-step',
      'create-round',
      'start-round',
      'get-round',
      'round-validate',
      'round-start-cases',
      'round-finish',
    ]) {
      const dynamo = statementsOf(name).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
      expect(dynamo.length, name).toBeGreaterThan(0);
      for (const s of dynamo) {
        expect(s.Resource, name).toEqual([
          { 'Fn::GetAtt': [table, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/*']] },
        ]);
      }
      expect(envOf(name).TABLE_NAME).toEqual({ Ref: table });
    }
    for (const name of ['get-case', 'list-cases', 'get-round']) {
      expect(actionsOf(name).filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    }
    expect(actionsOf('create-case')).toContain('dynamodb:PutItem');
    expect(actionsOf('round-start-cases')).toContain('dynamodb:PutItem');
  });

  it('gives the services function nothing but logs and tracing', () => {
    expect(actionsOf('services').filter((a) => !/^(logs|xray):/.test(a))).toEqual([]);
    expect(envOf('services').TABLE_NAME).toBeUndefined();
    expect(envOf('services').PII_KEY).toBeUndefined();
  });

  it('lets create-case and round batches start and describe, and cancel-case stop, only the service state machines', () => {
    const machines = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::StepFunctions::StateMachine' &&
          r.Properties.StateMachineName !== `${STACK_NAME}-round`,
      )
      .map(([id]) => ({ Ref: id }));
    expect(machines).toHaveLength(serviceIds.length);
    for (const name of ['create-case', 'round-start-cases']) {
      const start = statementsOf(name).filter((s) => s.Action === 'states:StartExecution');
      const started = start.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
      expect(started, name).toEqual(expect.arrayContaining(machines));
      expect(started, name).toHaveLength(machines.length);
    }
    const executionsOf = (name: string, action: string) => {
      const found = statementsOf(name).filter((s) => s.Action === action);
      expect(found.length, `${name} ${action}`).toBeGreaterThan(0);
      const text = JSON.stringify(found.map((s) => s.Resource));
      for (const id of serviceIds) expect(text).toContain(`:execution:${STACK_NAME}-${id}:*`);
      expect(text).not.toMatch(/"\*"|execution:\*/);
    };
    executionsOf('create-case', 'states:DescribeExecution');
    executionsOf('round-start-cases', 'states:DescribeExecution');
    executionsOf('cancel-case', 'states:StopExecution');
    expect(actionsOf('cancel-case')).not.toContain('states:StartExecution');
    for (const name of [
      'services',
      'get-case',
      'list-cases',
      'submit-step',
      'open-step',
      'create-round',
      'get-round',
      'round-validate',
      'round-finish',
    ]) {
      expect(
        actionsOf(name).filter((a) => /states:(Start|Stop|Describe)Execution/.test(a)),
        name,
      ).toEqual([]);
    }
  });

  it('tells every engine user the state machine ARNs, built from the explicit names', () => {
    for (const name of ['create-case', 'cancel-case', 'round-start-cases']) {
      const resolved = String(resolveFake(envOf(name).STATE_MACHINE_ARNS));
      const arns = JSON.parse(resolved) as Record<string, string>;
      expect(Object.keys(arns).sort(), name).toEqual([...serviceIds].sort());
      for (const id of serviceIds) {
        expect(arns[id]).toBe(`arn:aws:states:eu-west-1:123456789012:stateMachine:${STACK_NAME}-${id}`);
      }
    }
    // The others only answer task tokens and must not depend on the machines' names.
    for (const name of [
      'services',
      'get-case',
      'list-cases',
      'submit-step',
      'citizen-page',
      'sms-inbound',
      'open-step',
      'create-round',
      'start-round',
      'get-round',
      'round-validate',
      'round-finish',
    ])
      expect(envOf(name).STATE_MACHINE_ARNS, name).toBeUndefined();
  });

  it('has no circular dependency between resources (open-step <-> state machines)', () => {
    expect(findCycle(dev.template.toJSON().Resources as Record<string, unknown>)).toBeUndefined();
    // the detector itself finds a cycle when there is one
    expect(
      findCycle({
        A: { Properties: { X: { Ref: 'B' } } },
        B: { Properties: { Y: { 'Fn::GetAtt': ['A', 'Arn'] } } },
      }),
    ).toEqual(['A', 'B', 'A']);
  });

  it('gives each round function exactly its S3 actions on its kind of round file, and ROUND_BUCKET', () => {
    const bucket = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.LoggingConfiguration,
    )?.[0];
    if (!bucket) throw new Error('no round bucket');
    const arn = { 'Fn::GetAtt': [bucket, 'Arn'] };
    const file = (f: string) => ({ 'Fn::Join': ['', [arn, `/rounds/*/${f}`]] });
    const s3 = (name: string) =>
      statementsOf(name)
        .filter((st) => JSON.stringify(st.Action).includes('s3:'))
        .map(({ Action, Resource }) => ({ Action, Resource }));
    expect(s3('create-round')).toEqual([{ Action: 's3:PutObject', Resource: file('upload.csv') }]);
    expect(s3('start-round')).toEqual([
      { Action: 's3:GetObject', Resource: file('upload.csv') },
      { Action: 's3:ListBucket', Resource: arn },
    ]);
    expect(s3('round-validate')).toEqual([
      { Action: 's3:GetObject', Resource: file('upload.csv') },
      { Action: ['s3:AbortMultipartUpload', 's3:PutObject'], Resource: file('valid.csv') },
    ]);
    expect(s3('round-finish')).toEqual([
      { Action: 's3:DeleteObject', Resource: [file('upload.csv'), file('valid.csv')] },
    ]);
    for (const name of ['create-round', 'start-round', 'round-validate', 'round-finish'])
      expect(envOf(name).ROUND_BUCKET, name).toEqual({ Ref: bucket });
    for (const name of ['get-round', 'round-start-cases', 'create-case', 'console', 'services']) {
      expect(s3(name), name).toEqual([]);
      expect(envOf(name).ROUND_BUCKET, name).toBeUndefined();
    }
  });

  it('lets start-round, and only start-round, start the round machine, by the ARN of its explicit name', () => {
    const arn = `arn:aws:states:eu-west-1:123456789012:stateMachine:${STACK_NAME}-round`;
    expect(resolveFake(envOf('start-round').ROUND_STATE_MACHINE_ARN)).toBe(arn);
    const starts = statementsOf('start-round').filter((st) => st.Action === 'states:StartExecution');
    expect(starts.map((st) => resolveFake(st.Resource))).toEqual([arn]);
    expect(actionsOf('start-round').filter((a) => a.startsWith('states:'))).toEqual([
      'states:StartExecution',
    ]);
    for (const name of Object.keys(dev.stack.handlers.fns).filter((n) => n !== 'start-round')) {
      expect(envOf(name).ROUND_STATE_MACHINE_ARN, name).toBeUndefined();
      expect(JSON.stringify(statementsOf(name)), name).not.toContain(`${STACK_NAME}-round`);
    }
  });

  it('grants SendTaskSuccess only to the functions that complete steps', () => {
    for (const name of ['submit-step', 'citizen-page', 'sms-inbound', 'open-step']) {
      expect(statementsOf(name)).toContainEqual({
        Action: 'states:SendTaskSuccess',
        Effect: 'Allow',
        Resource: '*',
      });
    }
    for (const name of ['services', 'create-case', 'get-case', 'list-cases', 'cancel-case']) {
      expect(actionsOf(name), name).not.toContain('states:SendTaskSuccess');
    }
  });

  it('lets open-step, and only open-step, send SMS', () => {
    expect(actionsOf('open-step')).toContain('sms-voice:SendTextMessage');
    for (const name of ['create-case', 'sms-inbound', 'submit-step'])
      expect(actionsOf(name)).not.toContain('sms-voice:SendTextMessage');
    const scoped = buildStack({
      smsOriginationIdentity: 'arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abc',
    });
    scoped.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'sms-voice:SendTextMessage',
            Effect: 'Allow',
            Resource: Match.arrayWith(['arn:aws:sms-voice:eu-west-1:123456789012:phone-number/phone-abc']),
          },
        ],
      },
    });
  });

  it('passes secrets as deploy-time dynamic references and sets PUBLIC_URL from context', () => {
    const env = envOf('sms-inbound');
    expect(JSON.stringify(env.PII_KEY)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(env.TWILIO_AUTH_TOKEN)).toContain('{{resolve:secretsmanager:');
    expect(envOf('create-case').TWILIO_AUTH_TOKEN).toBeUndefined();
    expect(env.PUBLIC_URL).toBe('https://coproduce.example.nl');
    const apiId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api')?.[0];
    const defaultUrl = buildStack().stack.resolve(buildStack().stack.api.url);
    expect(JSON.stringify(defaultUrl)).toContain(String(apiId));
  });

  it('has a staff user pool: admin-created accounts, immutable org claims, TOTP MFA, public PKCE client', () => {
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'org', Mutable: false, AttributeDataType: 'String' }),
        Match.objectLike({ Name: 'orgKind', Mutable: false, AttributeDataType: 'String' }),
      ]),
    });
    dev.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
    });
  });
});
