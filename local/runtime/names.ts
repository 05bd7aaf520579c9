/**
 * The physical names and ARNs that `cdk deploy` would give the template's resources, made
 * deterministic for the local account: what CloudFormation randomizes (a generated name's suffix,
 * a secret ARN's six characters) is a hash of the stack and logical id, so it survives a restart.
 */
import { createHash } from 'node:crypto';
import type { CfnTemplate } from './template';

export const REGION = 'eu-west-1';
export const ACCOUNT = '000000000000';

export interface NameContext {
  template: CfnTemplate;
  stackName: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` letters and digits derived from `text`: stable, and different for different texts. */
export function shortHash(text: string, length: number): string {
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] as number) % ALPHANUMERIC.length];
  return out;
}

/** A UUID-shaped id derived from `text` (subscription ids, KMS key ids). */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The physical name CloudFormation would give a resource. */
export function physicalName(ctx: NameContext, logicalId: string): string {
  const r = ctx.template.Resources[logicalId];
  if (!r) throw new Error(`Unknown resource ${logicalId}`);
  const p = r.Properties ?? {};
  const given = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : undefined);
  switch (r.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return given('TableName') ?? `${ctx.stackName}-${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return given('StateMachineName') ?? `${ctx.stackName}-${logicalId}`;
    case 'AWS::Lambda::Function':
      return given('FunctionName') ?? `${ctx.stackName}-${logicalId}`;
    case 'AWS::S3::Bucket':
      return given('BucketName') ?? bucketName(`${ctx.stackName}-${logicalId}`);
    case 'AWS::SecretsManager::Secret':
      // CloudFormation names an unnamed secret `<logical id>-<random>`.
      return given('Name') ?? `${logicalId}-${shortHash(`${ctx.stackName}/${logicalId}`, 12)}`;
    case 'AWS::SNS::Topic':
      return given('TopicName') ?? `${ctx.stackName}-${logicalId}-${shortHash(logicalId, 12)}`;
    case 'AWS::SQS::Queue':
      return given('QueueName') ?? `${ctx.stackName}-${logicalId}-${shortHash(logicalId, 12)}`;
    case 'AWS::Events::Rule':
      return given('Name') ?? `${ctx.stackName}-${logicalId}-${shortHash(logicalId, 12)}`;
    case 'AWS::IAM::Role':
    case 'AWS::IAM::ManagedPolicy':
      // CloudFormation: `<stack>-<logical id>-<random>`, at most 64 characters.
      return (
        given(r.Type === 'AWS::IAM::Role' ? 'RoleName' : 'ManagedPolicyName') ??
        `${`${ctx.stackName}-${logicalId}`.slice(0, 51)}-${shortHash(`${ctx.stackName}/${logicalId}`, 12)}`
      );
    default:
      return logicalId;
  }
}

/** A valid S3 bucket name (3-63 lowercase letters, digits, dashes) for a stack's logical id. */
export function bucketName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (name.length <= 63) return name.padEnd(3, '0');
  // Cut long names, with a hash of the whole so two long ids stay apart.
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 54).replace(/-+$/, '')}-${h.toString(16).padStart(8, '0')}`;
}

export const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
/** A secret's ARN without the six characters Secrets Manager appends. */
export const secretArnPrefix = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}`;
/** Secrets Manager appends a hyphen and six random characters to the name. */
export const secretArn = (name: string) =>
  `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${shortHash(name, 6)}`;
export const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
export const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
export const ruleArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const managedPolicyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
/** The principal a role's temporary credentials act as: `assumed-role/<role name>/<session name>`. */
export const assumedRoleArn = (roleName: string, session: string) =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`;
export const kmsKeyId = (ctx: NameContext, logicalId: string) => stableUuid(`${ctx.stackName}/${logicalId}`);
export const kmsKeyArn = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;

/** The function name in a function ARN (qualified or not), or the name itself. */
export function functionNameOf(nameOrArn: string): string {
  const m = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)(:.+)?$/.exec(nameOrArn);
  return m ? (m[1] as string) : nameOrArn;
}
