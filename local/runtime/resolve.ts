/**
 * Resolves CloudFormation intrinsics to the local resources: what `cdk deploy` would have turned
 * into physical names and ARNs becomes local table names, local ARNs and the local API URL.
 */
import {
  ACCOUNT,
  functionArn,
  kmsKeyArn,
  kmsKeyId,
  managedPolicyArn,
  physicalName,
  queueArn,
  queueUrl,
  REGION,
  roleArn,
  ruleArn,
  secretArn,
  shortHash,
  stateMachineArn,
  topicArn,
} from './names';
import type { CfnTemplate } from './template';

const API_ID = 'localapi';

export interface ResolveContext {
  template: CfnTemplate;
  stackName: string;
  /** Base URL of the local gateway, e.g. http://127.0.0.1:3000 */
  apiUrl: string;
  /** Base URL of the local Twilio API emulator, replacing https://api.twilio.com. */
  twilioApiUrl?: string;
  /** Value of a `{{resolve:...}}` dynamic reference; `name` is the variable it appears in, if known. */
  dynamicReference: (reference: string, name: string | undefined) => string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function ref(ctx: ResolveContext, id: string): unknown {
  const pseudo: Record<string, unknown> = {
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::StackName': ctx.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${ctx.stackName}/local`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': undefined,
  };
  if (id in pseudo) return pseudo[id];
  const param = ctx.template.Parameters?.[id];
  if (param) return param.Default;
  const r = ctx.template.Resources[id];
  if (!r) throw new Error(`Ref to unknown resource ${id}`);
  const name = physicalName(ctx, id);
  if (r.Type === 'AWS::StepFunctions::StateMachine') return stateMachineArn(name);
  if (r.Type === 'AWS::ApiGatewayV2::Api') return API_ID;
  if (r.Type === 'AWS::Cognito::UserPool') return `${REGION}_local${id.slice(0, 8)}`;
  if (r.Type === 'AWS::SecretsManager::Secret') return secretArn(name);
  if (r.Type === 'AWS::SNS::Topic') return topicArn(name);
  if (r.Type === 'AWS::SQS::Queue') return queueUrl(name);
  if (r.Type === 'AWS::KMS::Key') return kmsKeyId(ctx, id);
  if (r.Type === 'AWS::IAM::ManagedPolicy') return managedPolicyArn(name);
  return name;
}

function getAtt(ctx: ResolveContext, id: string, attr: string): unknown {
  const r = ctx.template.Resources[id];
  if (!r) throw new Error(`Fn::GetAtt of unknown resource ${id}`);
  const name = physicalName(ctx, id);
  switch (`${r.Type}.${attr}`) {
    case 'AWS::DynamoDB::Table.Arn':
    case 'AWS::DynamoDB::GlobalTable.Arn':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    case 'AWS::Lambda::Function.Arn':
      return functionArn(name);
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${name}`;
    case 'AWS::S3::Bucket.DomainName':
      return `${name}.s3.amazonaws.com`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${name}.s3.${REGION}.amazonaws.com`;
    case 'AWS::StepFunctions::StateMachine.Arn':
      return stateMachineArn(name);
    case 'AWS::StepFunctions::StateMachine.Name':
      return name;
    case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
      return `https://${API_ID}.execute-api.${REGION}.amazonaws.com`;
    case 'AWS::Cognito::UserPool.ProviderURL':
      return `https://cognito-idp.${REGION}.amazonaws.com/${ref(ctx, id)}`;
    case 'AWS::SecretsManager::Secret.Id':
      return secretArn(name);
    case 'AWS::SNS::Topic.TopicArn':
      return topicArn(name);
    case 'AWS::SNS::Topic.TopicName':
      return name;
    case 'AWS::SQS::Queue.Arn':
      return queueArn(name);
    case 'AWS::SQS::Queue.QueueName':
      return name;
    case 'AWS::SQS::Queue.QueueUrl':
      return queueUrl(name);
    case 'AWS::Events::Rule.Arn':
      return ruleArn(name);
    case 'AWS::IAM::Role.Arn':
      return roleArn(name);
    case 'AWS::IAM::Role.RoleId':
      return `AROA${shortHash(name, 17).toUpperCase()}`;
    case 'AWS::KMS::Key.Arn':
      return kmsKeyArn(kmsKeyId(ctx, id));
    case 'AWS::KMS::Key.KeyId':
      return kmsKeyId(ctx, id);
    default:
      return attr === 'Arn' ? `arn:aws:local:${REGION}:${ACCOUNT}:${id}` : `${id}.${attr}`;
  }
}

const EXECUTE_API = /https:\/\/localapi\.execute-api\.[a-z0-9-]+\.amazonaws\.com/g;
/** Twilio's REST API base URL, as the template gives it to the functions (TWILIO_API_URL). */
const TWILIO_API = /https:\/\/api\.twilio\.com(?![\w.-])/g;
const DYNAMIC = /\{\{resolve:[^}]+\}\}/g;

function finish(ctx: ResolveContext, s: string, name: string | undefined): string {
  let out = s.replace(EXECUTE_API, ctx.apiUrl);
  if (ctx.twilioApiUrl) out = out.replace(TWILIO_API, ctx.twilioApiUrl);
  return out.replace(DYNAMIC, (m) => ctx.dynamicReference(m, name));
}

const finishAny = (ctx: ResolveContext, v: unknown, name: string | undefined) =>
  typeof v === 'string' ? finish(ctx, v, name) : v;

function sub(ctx: ResolveContext, text: string, vars: Obj, name: string | undefined): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    if (key.startsWith('!')) return `\${${key.slice(1)}}`;
    if (key in vars) return String(resolve(ctx, vars[key], name));
    const dot = key.indexOf('.');
    if (dot > 0 && !key.startsWith('AWS::'))
      return String(getAtt(ctx, key.slice(0, dot), key.slice(dot + 1)));
    const v = ref(ctx, key);
    if (v === undefined) throw new Error(`Fn::Sub: cannot resolve ${whole}`);
    return String(v);
  });
}

/** Resolves every intrinsic in `value`. `name` (e.g. an environment variable) is passed to dynamic references. */
export function resolve(ctx: ResolveContext, value: unknown, name?: string): unknown {
  if (typeof value === 'string') return finish(ctx, value, name);
  if (Array.isArray(value)) return value.map((v) => resolve(ctx, v, name)).filter((v) => v !== undefined);
  if (!isObj(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const k = keys[0] as string;
    const arg = value[k];
    switch (k) {
      case 'Ref':
        return finishAny(ctx, ref(ctx, arg as string), name);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/);
        return finishAny(ctx, getAtt(ctx, id as string, String(resolve(ctx, attr, name))), name);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown];
        const list = resolve(ctx, parts, name) as unknown[];
        return finish(ctx, list.map(String).join(sep), name);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Obj]) : [arg as string, {}];
        return finish(ctx, sub(ctx, text, vars, name), name);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return (resolve(ctx, list, name) as unknown[])[Number(resolve(ctx, index, name))];
      }
      case 'Fn::Split': {
        const [sep, text] = arg as [string, unknown];
        return String(resolve(ctx, text, name)).split(sep);
      }
      case 'Fn::Base64':
        return Buffer.from(String(resolve(ctx, arg, name))).toString('base64');
      case 'Fn::GetAZs':
        return [`${REGION}a`, `${REGION}b`, `${REGION}c`];
    }
    if (k.startsWith('Fn::')) throw new Error(`Unsupported intrinsic ${k}`);
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    const r = resolve(ctx, v, name);
    if (r !== undefined) out[k] = r;
  }
  return out;
}
