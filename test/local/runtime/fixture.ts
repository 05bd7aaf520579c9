/**
 * A small hand-made cloud assembly (template, asset manifest, CJS bundles) with the same kinds
 * of resources as the real stack, so the runtime can be tested without a synth.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FUNCTIONS: Record<string, string> = {
  Echo: `
    exports.handler = async (event, context) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-fn': context.functionName },
      cookies: ['a=1', 'b=2'],
      body: JSON.stringify({ event, remaining: context.getRemainingTimeInMillis(), requestId: context.awsRequestId,
        now: Date.now(), date: new Date().toISOString(), called: Date(), isDate: new Date() instanceof Date,
        env: { TABLE_NAME: process.env.TABLE_NAME, PUBLIC_URL: process.env.PUBLIC_URL, PII_KEY: process.env.PII_KEY,
          TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN, STATE_MACHINE_ARNS: process.env.STATE_MACHINE_ARNS,
          ROUND_BUCKET: process.env.ROUND_BUCKET, BUCKET_ARN: process.env.BUCKET_ARN,
          AWS_ENDPOINT_URL_S3: process.env.AWS_ENDPOINT_URL_S3, LOADED_TABLE: loadedTable } }),
    });
    const loadedTable = process.env.TABLE_NAME;`,
  Plain: `exports.handler = async () => ({ hello: 'world' });`,
  Boom: `exports.handler = async () => { throw new TypeError('kaboom'); };`,
  Start: `
    const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');
    const client = new SFNClient({});
    const arn = JSON.parse(process.env.STATE_MACHINE_ARNS).demo;
    exports.handler = async (event) => {
      const id = event.pathParameters.id;
      const out = await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: id, input: JSON.stringify({ id }) }));
      return { statusCode: 202, body: JSON.stringify({ executionArn: out.executionArn }) };
    };`,
  Opener: `
    const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
    const { PinpointSMSVoiceV2Client, SendTextMessageCommand } = require('@aws-sdk/client-pinpoint-sms-voice-v2');
    const ddb = new DynamoDBClient({});
    const sms = new PinpointSMSVoiceV2Client({});
    exports.handler = async (event) => {
      await ddb.send(new PutItemCommand({ TableName: process.env.TABLE_NAME,
        Item: { pk: { S: event.id }, token: { S: event.taskToken }, status: { S: 'OPEN' } } }));
      await sms.send(new SendTextMessageCommand({ DestinationPhoneNumber: '+31612345678', MessageBody: 'Open: ' + event.id }));
      return null;
    };`,
  Complete: `
    const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
    const { SFNClient, SendTaskSuccessCommand } = require('@aws-sdk/client-sfn');
    const ddb = new DynamoDBClient({});
    const sfn = new SFNClient({});
    exports.handler = async (event) => {
      const item = await ddb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.pathParameters.id } } }));
      try {
        await sfn.send(new SendTaskSuccessCommand({ taskToken: item.Item.token.S, output: event.body }));
        return { statusCode: 200, body: '{}' };
      } catch (e) {
        return { statusCode: 409, body: JSON.stringify({ error: e.name }) };
      }
    };`,
  Upload: `
    const { S3Client, PutObjectCommand, GetObjectCommand } = require('@aws-sdk/client-s3');
    const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
    const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    exports.handler = async (event) => {
      const Key = 'files/' + event.pathParameters.key;
      if (event.requestContext.http.method === 'POST') {
        const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: process.env.ROUND_BUCKET, Key,
          ContentType: 'text/csv' }), { expiresIn: 900 });
        return { url };
      }
      const out = await s3.send(new GetObjectCommand({ Bucket: process.env.ROUND_BUCKET, Key }));
      return { text: await out.Body.transformToString() };
    };`,
};

const env = {
  TABLE_NAME: { Ref: 'Table' },
  PUBLIC_URL: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] },
  PII_KEY: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'PiiSecret' }, ':SecretString:::}}']] },
  TWILIO_AUTH_TOKEN: {
    'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'TwilioSecret' }, ':SecretString:::}}']],
  },
  STATE_MACHINE_ARNS: { 'Fn::Join': ['', ['{"demo":"', { Ref: 'Machine' }, '"}']] },
  ROUND_BUCKET: { Ref: 'RoundBucket5F2D7E3A' },
  BUCKET_ARN: { 'Fn::GetAtt': ['RoundBucket5F2D7E3A', 'Arn'] },
};

const definition = (waitSeconds: number) => ({
  'Fn::Join': [
    '',
    [
      '{"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",',
      '"Parameters":{"FunctionName":"',
      { 'Fn::GetAtt': ['Opener', 'Arn'] },
      `","Payload":{"id.$":"$.id","taskToken.$":"$$.Task.Token"}},"TimeoutSeconds":${waitSeconds},`,
      '"ResultPath":"$.answer","Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":null,"Next":"Expired"}],"Next":"Done"},',
      '"Done":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"',
      { Ref: 'Table' },
      '","Key":{"pk":{"S.$":"$.id"}},"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},',
      '"ExpressionAttributeValues":{":s":{"S":"DONE"}}},"End":true},',
      '"Expired":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","Parameters":{"TableName":"',
      { Ref: 'Table' },
      '","Key":{"pk":{"S.$":"$.id"}},"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},',
      '"ExpressionAttributeValues":{":s":{"S":"EXPIRED"}}},"End":true}}}',
    ],
  ],
});

export interface FixtureFunction {
  code: string;
  /** `coproduce <handler name>`, as the stack describes its functions. */
  description?: string;
  environment?: Record<string, unknown>;
  timeout?: number;
  memory?: number;
  /** What its execution role may do (an AWS::IAM::Policy on the role, as CDK writes grants). */
  statements?: Record<string, unknown>[];
}

/** An IAM statement, as CDK writes one. */
export const allow = (action: string | string[], resource: unknown) => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
});

/** A role the functions (lambda.amazonaws.com) or state machines (states.amazonaws.com) assume. */
export const role = (service: string, statements: Record<string, unknown>[], id: string) => ({
  [`${id}Role`]: {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: service } }],
      },
    },
  },
  ...(statements.length > 0
    ? {
        [`${id}RoleDefaultPolicy`]: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyDocument: { Version: '2012-10-17', Statement: statements },
            PolicyName: `${id}RoleDefaultPolicy`,
            Roles: [{ Ref: `${id}Role` }],
          },
        },
      }
    : {}),
});

/**
 * Writes a cloud assembly (template, asset manifest, one CJS bundle per function) into a fresh folder
 * under the project, so the bundles resolve node_modules.
 */
export function writeAssembly(
  root: string,
  functions: Record<string, FixtureFunction>,
  resources: Record<string, unknown>,
  stackName = 'demo-stack',
): string {
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'cdkout-'));
  const all: Record<string, unknown> = { ...resources };
  const files: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions)) {
    const hash = `${name.toLowerCase()}0123456789`;
    mkdirSync(join(dir, `asset.${hash}`));
    writeFileSync(join(dir, `asset.${hash}`, 'index.js'), fn.code);
    files[hash] = {
      source: { path: `asset.${hash}`, packaging: 'zip' },
      destinations: { d: { objectKey: `${hash}.zip` } },
    };
    Object.assign(all, role('lambda.amazonaws.com', fn.statements ?? [], name));
    all[name] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: 'cdk-assets', S3Key: `${hash}.zip` },
        Handler: 'index.handler',
        Role: { 'Fn::GetAtt': [`${name}Role`, 'Arn'] },
        Timeout: fn.timeout ?? 5,
        MemorySize: fn.memory ?? 256,
        ...(fn.description ? { Description: fn.description } : {}),
        Environment: { Variables: fn.environment ?? {} },
      },
    };
  }
  writeFileSync(join(dir, `${stackName}.template.json`), JSON.stringify({ Resources: all }, null, 1));
  writeFileSync(join(dir, `${stackName}.assets.json`), JSON.stringify({ version: '1', files }, null, 1));
  writeFileSync(join(dir, 'manifest.json'), '{}');
  return dir;
}

/** The gateway route `key` to function `fn`: an integration and a route resource. */
export function route(key: string, fn: string, jwt = false) {
  const id = key.replace(/[^A-Za-z]/g, '');
  return {
    [`${id}Integration`]: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: { Ref: 'Api' },
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [fn, 'Arn'] },
        PayloadFormatVersion: '2.0',
      },
    },
    [`${id}Route`]: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: { Ref: 'Api' },
        RouteKey: key,
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: `${id}Integration` }]] },
        ...(jwt
          ? { AuthorizationType: 'JWT', AuthorizerId: { Ref: 'Authorizer' } }
          : { AuthorizationType: 'NONE' }),
      },
    },
  };
}

/** The API, its JWT authorizer and the user pool behind it. */
export const API_RESOURCES: Record<string, unknown> = {
  UserPool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
  UserPoolClient: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'UserPool' } } },
  Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'demo', ProtocolType: 'HTTP' } },
  Authorizer: {
    Type: 'AWS::ApiGatewayV2::Authorizer',
    Properties: {
      ApiId: { Ref: 'Api' },
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: 'UserPoolClient' }],
        Issuer: { 'Fn::GetAtt': ['UserPool', 'ProviderURL'] },
      },
    },
  },
};

/** The template of the first local runtime: secrets resolved into the environment (older stacks did that). */
export function writeFixture(root: string, waitSeconds = 3600): string {
  const resources: Record<string, unknown> = {
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      },
    },
    RoundBucket5F2D7E3A: { Type: 'AWS::S3::Bucket', Properties: {} },
    PiiSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 } },
    },
    TwilioSecret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
    ...API_RESOURCES,
    ...role(
      'states.amazonaws.com',
      [
        allow('lambda:InvokeFunction', [
          { 'Fn::GetAtt': ['Opener', 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Opener', 'Arn'] }, ':*']] },
        ]),
        allow('dynamodb:UpdateItem', { 'Fn::GetAtt': ['Table', 'Arn'] }),
      ],
      'Machine',
    ),
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: definition(waitSeconds),
        RoleArn: { 'Fn::GetAtt': ['MachineRole', 'Arn'] },
      },
    },
    ...route('GET /echo/{id}', 'Echo', true),
    ...route('GET /public/{proxy+}', 'Echo'),
    ...route('POST /form', 'Echo'),
    ...route('GET /plain', 'Plain'),
    ...route('GET /boom', 'Boom'),
    ...route('POST /start/{id}', 'Start'),
    ...route('POST /complete/{id}', 'Complete'),
    ...route('POST /upload/{key}', 'Upload'),
    ...route('GET /upload/{key}', 'Upload'),
  };
  const table = { 'Fn::GetAtt': ['Table', 'Arn'] };
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['RoundBucket5F2D7E3A', 'Arn'] }, '/files/*']] };
  const grants: Record<string, Record<string, unknown>[]> = {
    Start: [allow('states:StartExecution', { Ref: 'Machine' })],
    Opener: [allow('dynamodb:PutItem', table), allow('sms-voice:SendTextMessage', '*')],
    Complete: [allow('dynamodb:GetItem', table), allow('states:SendTaskSuccess', '*')],
    Upload: [allow(['s3:PutObject', 's3:GetObject'], objects)],
  };
  const functions = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([name, code]) => [
      name,
      { code, environment: env, statements: grants[name] ?? [] },
    ]),
  );
  return writeAssembly(root, functions, resources);
}
