/**
 * What the template says each role may do: its inline policies, the AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources attached to it, the AWS managed policies it names (those the
 * runtime knows; the others are reported), its permissions boundary; and the resource-based policies
 * of the template's buckets and topics. Everything is resolved to the local account and region first.
 */
import { compileDocument, type Statement } from './iam-policy';
import { physicalName, roleArn } from './names';
import { type ResolveContext, resolve } from './resolve';
import { resourcesOfType } from './template';

export interface RoleSpec {
  logicalId: string;
  name: string;
  arn: string;
  identity: Statement[];
  boundary?: Statement[];
}

export interface TemplatePolicies {
  /** By role ARN. */
  roles: Map<string, RoleSpec>;
  /** Resource-based policies by the ARN of their resource (a bucket policy covers its objects too). */
  resources: Map<string, Statement[]>;
  /** What the runtime could not take into account (said at start). */
  warnings: string[];
}

/** AWS managed policies that the template's roles commonly carry, as AWS publishes them. */
const AWS_MANAGED: Record<string, unknown> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
  },
};

type Obj = Record<string, unknown>;
const refs = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);

export function templatePolicies(ctx: ResolveContext): TemplatePolicies {
  const roles = new Map<string, RoleSpec>();
  const byName = new Map<string, RoleSpec>();
  const warnings: string[] = [];
  const managed = new Map<string, Statement[]>();
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::IAM::ManagedPolicy')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    managed.set(String(resolve(ctx, { Ref: id })), compileDocument(p.PolicyDocument, id));
  }
  const managedPolicy = (arn: string, role: string): Statement[] => {
    const known = managed.get(arn) ?? (AWS_MANAGED[arn] ? compileDocument(AWS_MANAGED[arn], arn) : undefined);
    if (known) return known;
    warnings.push(
      `IAM: role ${role} has managed policy ${arn}, whose statements are not known locally: it grants nothing here`,
    );
    return [];
  };

  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::IAM::Role')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    const name = physicalName(ctx, id);
    const identity: Statement[] = [];
    for (const inline of (p.Policies ?? []) as Obj[])
      identity.push(...compileDocument(inline.PolicyDocument, `${id} (${String(inline.PolicyName)})`));
    for (const arn of refs(p.ManagedPolicyArns)) identity.push(...managedPolicy(arn, name));
    const role: RoleSpec = { logicalId: id, name, arn: roleArn(name), identity };
    if (typeof p.PermissionsBoundary === 'string') role.boundary = managedPolicy(p.PermissionsBoundary, name);
    roles.set(role.arn, role);
    byName.set(name, role);
  }
  const attach = (policyId: string, roleNames: unknown, statements: Statement[]) => {
    for (const roleName of refs(roleNames)) {
      const role = byName.get(roleName);
      if (role) role.identity.push(...statements);
      else warnings.push(`IAM: ${policyId} is attached to role ${roleName}, which is not in the template`);
    }
  };
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::IAM::Policy')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    attach(id, p.Roles, compileDocument(p.PolicyDocument, id));
  }
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::IAM::ManagedPolicy')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    attach(id, p.Roles, managed.get(String(resolve(ctx, { Ref: id }))) ?? []);
  }

  const resources = new Map<string, Statement[]>();
  const add = (arn: string, statements: Statement[]) =>
    resources.set(arn, [...(resources.get(arn) ?? []), ...statements]);
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::S3::BucketPolicy')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    add(`arn:aws:s3:::${String(p.Bucket)}`, compileDocument(p.PolicyDocument, id));
  }
  for (const [id, r] of resourcesOfType(ctx.template, 'AWS::SNS::TopicPolicy')) {
    const p = resolve(ctx, r.Properties ?? {}) as Obj;
    for (const topic of refs(p.Topics)) add(topic, compileDocument(p.PolicyDocument, id));
  }
  return { roles, resources, warnings };
}
