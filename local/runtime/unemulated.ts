/**
 * What the template has that the local runtime does not run: one line per resource type, said at
 * start instead of silently ignored (issue 10: "say what is not emulated").
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
  'AWS::CDK::Metadata',
]);

const WHY: Record<string, string> = {
  'AWS::IAM::Role': 'roles are not assumed; IAM is not enforced locally',
  'AWS::IAM::Policy': 'IAM policies are not enforced locally',
  'AWS::IAM::ManagedPolicy': 'IAM policies are not enforced locally',
  'AWS::Logs::LogGroup': 'function and state machine logs go to this console',
  'AWS::CloudWatch::Alarm': 'alarms are not evaluated',
  'AWS::CloudWatch::CompositeAlarm': 'alarms are not evaluated',
  'AWS::CloudWatch::Dashboard': 'no dashboards locally',
  'AWS::KMS::Key': 'no encryption at rest locally',
  'AWS::KMS::Alias': 'no encryption at rest locally',
  'AWS::SQS::Queue': 'what would reach a dead-letter queue is logged instead',
  'AWS::SQS::QueuePolicy': 'queue policies are not enforced',
  'AWS::S3::BucketPolicy': 'bucket policies are not enforced',
  'AWS::SNS::TopicPolicy': 'topic policies are not enforced',
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
