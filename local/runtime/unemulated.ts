/**
 * What the template has that the local runtime does not run: one line per resource type, said at
 * start instead of silently ignored (issue 10: "say what is not emulated"); and what the functions
 * depend on that it cannot serve, which stops the start (`missingDependencies`).
 */
import type { CfnTemplate } from './template';

const EMULATED = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::S3::Bucket',
  'AWS::SecretsManager::Secret',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::Events::Rule',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::CDK::Metadata',
]);

const WHY: Record<string, string> = {
  'AWS::IAM::User': 'no IAM users locally',
  'AWS::IAM::Group': 'no IAM groups locally',
  'AWS::Logs::LogGroup': 'function and state machine logs go to this console',
  'AWS::CloudWatch::Alarm': 'alarms are not evaluated',
  'AWS::CloudWatch::CompositeAlarm': 'alarms are not evaluated',
  'AWS::CloudWatch::Dashboard': 'no dashboards locally',
  'AWS::KMS::Key': 'no encryption at rest locally',
  'AWS::KMS::Alias': 'no encryption at rest locally',
  'AWS::SQS::Queue': 'what would reach a dead-letter queue is logged instead',
  'AWS::SQS::QueuePolicy': 'queue policies are not enforced',
  'AWS::SecretsManager::RotationSchedule': 'secrets are not rotated locally',
};

export function unemulatedLines(template: CfnTemplate): string[] {
  const counts = new Map<string, number>();
  for (const r of Object.values(template.Resources)) {
    if (EMULATED.has(r.Type)) continue;
    const type = r.Type.startsWith('Custom::') ? 'AWS::CloudFormation::CustomResource' : r.Type;
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => {
      const why =
        type === 'AWS::CloudFormation::CustomResource'
          ? 'custom resources do not run locally'
          : (WHY[type] ?? 'not emulated');
      return `not emulated: ${type} (${n}): ${why}`;
    });
}

type Obj = Record<string, unknown>;

/** The logical ids a property value refers to (Ref, Fn::GetAtt, Fn::Sub's ${Id} and ${Id.Attr}). */
function referenced(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referenced(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Obj)) {
      if (k === 'Ref' && typeof v === 'string') out.add(v);
      else if (k === 'Fn::GetAtt')
        out.add(Array.isArray(v) ? String(v[0]) : (String(v).split('.')[0] as string));
      else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of text.matchAll(/\$\{([^!}.][^}.]*)(\.[^}]*)?\}/g)) out.add(m[1] as string);
        if (Array.isArray(v)) referenced(v[1], out);
      } else referenced(v, out);
    }
  }
  return out;
}

/**
 * What a function needs that the runtime cannot give it: an environment variable naming a resource of a
 * type it does not emulate (the function would call a service that is not there), layers (their code
 * would be missing), file systems. One line each; the runtime refuses to start when there is any.
 */
export function missingDependencies(template: CfnTemplate, isApp: (logicalId: string) => boolean): string[] {
  const lines: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function' || !isApp(id)) continue;
    const p = r.Properties ?? {};
    const vars = ((p.Environment as Obj | undefined)?.Variables ?? {}) as Obj;
    for (const [name, value] of Object.entries(vars)) {
      for (const target of referenced(value)) {
        const type = template.Resources[target]?.Type;
        if (type && !EMULATED.has(type))
          lines.push(
            `function ${id}: ${name} refers to ${target} (${type}), which the local runtime does not emulate`,
          );
      }
    }
    if (Array.isArray(p.Layers) && p.Layers.length > 0)
      lines.push(`function ${id}: Lambda layers are not emulated (their code would be missing from /opt)`);
    if (Array.isArray(p.FileSystemConfigs) && p.FileSystemConfigs.length > 0)
      lines.push(`function ${id}: file systems (EFS) are not emulated`);
  }
  return lines;
}
