import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlersFor, manifestOf } from '../../lib/function-manifest';
import {
  buildStack,
  definitions,
  findCycle,
  resolveFake,
  STACK_NAME,
  type TestStack,
  TWILIO,
  validateAsl,
} from './support';
import { StackView } from './template';

const serviceIds = readdirSync(join(__dirname, '../../workflows/services'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

let dev: TestStack;
let view: StackView;
let resources: StackView['resources'];
let twilio: StackView;
let prod: StackView;

beforeAll(() => {
  dev = buildStack({ publicUrl: 'https://coproduce.example.nl/' });
  view = new StackView(dev);
  resources = view.resources;
  twilio = new StackView(buildStack({ smsProvider: 'twilio', twilio: TWILIO }));
  prod = new StackView(buildStack({ protect: true }));
});

const tableId = () => view.idOf('AWS::DynamoDB::Table');

describe('CoproduceStack', () => {
  it('has the single table: keys, its GSIs, TTL, PITR, on-demand billing', () => {
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
          // Every status by creation time, keys only: no write after the creation moves or copies a case.
          IndexName: 'byServiceCreated',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
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

  it('protects data in production: deletion protection and RETAIN on the table, user pool, buckets, secrets and logs', () => {
    prod.test.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.test.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
    for (const type of ['AWS::S3::Bucket', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      const policies = prod.ofType(type).map(([, r]) => r.DeletionPolicy);
      expect(policies.length, type).toBeGreaterThan(0);
      expect(new Set(policies), type).toEqual(new Set(['Retain']));
    }
    // No bucket is emptied by a custom resource in production.
    expect(prod.ofType('Custom::S3AutoDeleteObjects')).toEqual([]);
  });

  it('removes a dev stage completely: nothing retained, buckets emptied on delete', () => {
    const retained = Object.entries(resources)
      .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
      .map(([id, r]) => `${id} ${r.Type}`);
    expect(retained).toEqual([]);
    expect(view.ofType('AWS::DynamoDB::Table')[0]?.[1].Properties.DeletionProtectionEnabled).toBe(false);
    const emptied = view
      .ofType('Custom::S3AutoDeleteObjects')
      .map(([, r]) => JSON.stringify(r.Properties.BucketName))
      .sort();
    const buckets = view
      .ofType('AWS::S3::Bucket')
      .map(([id]) => JSON.stringify({ Ref: id }))
      .sort();
    expect(emptied).toEqual(buckets);
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

  it('builds the functions of the manifest for the provider, all the same way, sized as declared', () => {
    const described = (v: StackView) =>
      v
        .ofType('AWS::Lambda::Function')
        .map(([, r]) => String(r.Properties.Description))
        .filter((d) => d.startsWith('coproduce '))
        .map((d) => d.slice('coproduce '.length))
        .sort();
    expect(described(view)).toEqual(handlersFor('aws').sort());
    expect(described(twilio)).toEqual(handlersFor('twilio').sort());
    expect(described(view)).toContain('sms-inbound-topic');
    expect(described(twilio)).toContain('sms-inbound');
    for (const name of handlersFor('aws')) {
      const sizing = manifestOf(name).sizing;
      expect(view.resource(view.fnId(name)).Properties, name).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: sizing?.memoryMb ?? 512,
        Timeout: sizing?.timeoutSeconds ?? 10,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
    }
    // The round's Step Functions tasks run longer than an HTTP request may.
    expect(view.resource(view.fnId('round-validate')).Properties).toMatchObject({
      Timeout: 900,
      MemorySize: 1024,
    });
    expect(view.resource(view.fnId('round-start-cases')).Properties.Timeout).toBe(120);
  });

  it('routes every path of the HTTP contract, with the JWT authorizer exactly on provider routes', () => {
    const routes = (v: StackView) =>
      v
        .ofType('AWS::ApiGatewayV2::Route')
        .map(([, r]) => [r.Properties.RouteKey as string, r.Properties.AuthorizationType as string] as const)
        .sort();
    const common = [
      ['GET /c/{linkToken}', 'NONE'],
      ['GET /c/{linkToken}/export', 'NONE'],
      // The forms' addresses asked for with GET lead back to the page (web/back-to-page.ts).
      ['GET /c/{linkToken}/steps/{stepId}', 'NONE'],
      ['GET /c/{linkToken}/reopen', 'NONE'],
      ['GET /c/{linkToken}/delegates', 'NONE'],
      ['GET /c/assets/{file}', 'NONE'],
      ['GET /cases', 'JWT'],
      ['GET /cases/{caseId}', 'JWT'],
      ['GET /cases/{caseId}/processing', 'JWT'],
      ['GET /services', 'NONE'],
      ['GET /openapi.json', 'NONE'],
      ['POST /c/{linkToken}/steps/{stepId}', 'NONE'],
      ['POST /c/{linkToken}/reopen', 'NONE'],
      ['POST /c/{linkToken}/steps/{stepId}/proposals', 'NONE'],
      ['POST /c/{linkToken}/proposals/{proposalId}', 'NONE'],
      ['POST /c/{linkToken}/delegates', 'NONE'],
      ['DELETE /c/{linkToken}/delegates/{delegateId}', 'NONE'],
      ['POST /c/{linkToken}/delegates/{delegateId}/revoke', 'NONE'],
      ['POST /cases', 'JWT'],
      ['POST /cases/{caseId}/cancel', 'JWT'],
      ['POST /cases/{caseId}/erase', 'JWT'],
      ['POST /cases/{caseId}/redrive', 'JWT'],
      ['POST /cases/{caseId}/reopen', 'JWT'],
      ['POST /cases/{caseId}/steps/{stepId}/proposals', 'JWT'],
      ['POST /cases/{caseId}/proposals/{proposalId}', 'JWT'],
      ['POST /cases/{caseId}/steps/{stepId}', 'JWT'],
      ['POST /rounds', 'JWT'],
      ['GET /rounds/{roundId}', 'JWT'],
      ['POST /rounds/{roundId}/start', 'JWT'],
      ['GET /console', 'NONE'],
      ['GET /console/{proxy+}', 'NONE'],
      ['POST /console/{proxy+}', 'NONE'],
      ['GET /services/{serviceId}/report', 'JWT'],
    ];
    // AWS: inbound SMS arrives through SNS, so there is no public webhook at all.
    expect(routes(view)).toEqual([...common].sort());
    expect(routes(twilio)).toEqual([...common, ['POST /sms/inbound', 'NONE']].sort());
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

  it('tells the functions that start, stop or redrive cases the state machine ARNs, built from the explicit names', () => {
    for (const name of handlersFor('aws')) {
      // describing alone (case-failed) works on the execution ARN in the event
      const rights = (manifestOf(name).serviceExecutions ?? []).filter((r) => r !== 'describe');
      if (rights.length === 0) {
        expect(view.env(name).STATE_MACHINE_ARNS, name).toBeUndefined();
        continue;
      }
      const arns = JSON.parse(String(resolveFake(view.env(name).STATE_MACHINE_ARNS))) as Record<
        string,
        string
      >;
      expect(Object.keys(arns).sort(), name).toEqual([...serviceIds].sort());
      for (const id of serviceIds)
        expect(arns[id]).toBe(`arn:aws:states:eu-west-1:123456789012:stateMachine:${STACK_NAME}-${id}`);
    }
  });

  it('sets PUBLIC_URL from context (without a trailing slash), else the API endpoint', () => {
    expect(view.env('create-case').PUBLIC_URL).toBe('https://coproduce.example.nl');
    const apiId = view.idOf('AWS::ApiGatewayV2::Api');
    expect(twilio.env('create-case').PUBLIC_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    expect(view.env('console').CALLBACK_URL).toBe('https://coproduce.example.nl/console/callback');
    expect(view.env('console').LOGOUT_URL).toBe('https://coproduce.example.nl/console/signed-out');
  });

  it("registers the console's signed-out page as the client's only sign-out URL (the /logout target)", () => {
    const clients = view.test.template.findResources('AWS::Cognito::UserPoolClient');
    const [client] = Object.values(clients) as { Properties: { LogoutURLs: unknown } }[];
    expect(client?.Properties.LogoutURLs).toEqual([view.env('console').LOGOUT_URL]);
  });

  it("lets sign-in codes go only to the console's own callback, in every stage, unless more are asked for", () => {
    const callbacks = (stack: StackView) => {
      const clients = stack.test.template.findResources('AWS::Cognito::UserPoolClient');
      const [client] = Object.values(clients) as { Properties: { CallbackURLs: unknown } }[];
      return client?.Properties.CallbackURLs;
    };
    expect(callbacks(view)).toEqual([view.env('console').CALLBACK_URL]);
    expect(callbacks(prod)).toEqual([prod.env('console').CALLBACK_URL]);
    const extra = new StackView(
      buildStack({ consoleCallbackUrls: ['https://test.example.nl/console/callback'] }),
    );
    expect(callbacks(extra)).toEqual([
      'https://test.example.nl/console/callback',
      extra.env('console').CALLBACK_URL,
    ]);
  });

  it("sends staff e-mail through SES when asked, in the template (a deploy would undo the console's setting)", () => {
    const pools = (stack: StackView) =>
      Object.values(stack.test.template.findResources('AWS::Cognito::UserPool')) as {
        Properties: { EmailConfiguration?: Record<string, unknown> };
      }[];
    expect(pools(view)[0]?.Properties.EmailConfiguration).toBeUndefined();
    const ses = new StackView(
      buildStack({ staffEmail: { from: 'noreply@gemeente.nl', verifiedDomain: 'gemeente.nl' } }),
    );
    const email = pools(ses)[0]?.Properties.EmailConfiguration;
    expect(email).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: 'noreply@gemeente.nl' });
    expect(JSON.stringify(email?.SourceArn)).toContain(':identity/gemeente.nl');
  });

  it('puts out what a first deploy needs, per provider', () => {
    const outputs = (v: StackView) => Object.keys(v.test.template.toJSON().Outputs as object).sort();
    const common = [
      'AlarmTopicArn',
      'ApiUrl',
      'CasesTable',
      'CitizenBaseUrl',
      'ConsoleUrl',
      'DashboardName',
      'DashboardUrl',
      'UserPoolId',
    ];
    expect(outputs(view)).toEqual([...common, 'SmsInboundTopicArn'].sort());
    expect(outputs(twilio)).toEqual([...common, 'SmsWebhookUrl'].sort());
    const out = dev.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(out.CitizenBaseUrl?.Value).toBe('https://coproduce.example.nl/c/');
    expect(out.ConsoleUrl?.Value).toBe('https://coproduce.example.nl/console');
    expect(out.SmsInboundTopicArn?.Value).toEqual({
      Ref: view.idOf('AWS::SNS::Topic', (r) => r.Properties.DisplayName === 'coproduce inbound SMS'),
    });
    expect(out.UserPoolId?.Value).toEqual({ Ref: view.idOf('AWS::Cognito::UserPool') });
    expect(out.CasesTable?.Value).toEqual({ Ref: view.idOf('AWS::DynamoDB::Table') });
    const webhook = (twilio.test.template.toJSON().Outputs as Record<string, { Value: unknown }>)
      .SmsWebhookUrl;
    expect(JSON.stringify(webhook?.Value)).toContain('/sms/inbound');
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
