import { ArnFormat, type CfnElement, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ExecutionRight, FunctionManifest } from '../function-manifest';
import type { CaseTable } from './case-table';
import { ROUND_PREFIX, type RoundBucket } from './round-bucket';
import type { Secrets } from './secrets';
import type { Sms } from './sms';

/** The state machines a function may address, by their explicit names (see Handlers). */
export interface MachineNames {
  /** serviceId -> `<stackName>-<serviceId>`. */
  readonly services: Record<string, string>;
  readonly round: string;
}

export interface PermissionSources {
  readonly table: CaseTable;
  readonly rounds: RoundBucket;
  readonly secrets: Secrets;
  readonly sms: Sms;
  readonly machines: MachineNames;
}

export interface Permissions {
  readonly statements: PolicyStatement[];
  /** cdk-nag acknowledgements for the wildcards the statements need, each with its reason. */
  readonly acknowledgements: { id: string; reason: string }[];
}

const EXECUTION_ACTIONS: Record<Exclude<ExecutionRight, 'start'>, string> = {
  describe: 'states:DescribeExecution',
  stop: 'states:StopExecution',
  redrive: 'states:RedriveExecution',
};

/** `arn:<partition>:states:<region>:<account>:<resource>:<name>` */
export function statesArn(scope: Construct, resource: string, resourceName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource,
    resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The IAM statements a manifest entry stands for: exact actions on exact resources. */
export function permissionsOf(
  scope: Construct,
  manifest: FunctionManifest,
  from: PermissionSources,
): Permissions {
  const stack = Stack.of(scope);
  const statements: PolicyStatement[] = [];
  const acknowledgements: { id: string; reason: string }[] = [];
  const allow = (actions: string[], resources: string[]) =>
    statements.push(new PolicyStatement({ actions, resources }));
  const states = (resource: string, resourceName: string) => statesArn(scope, resource, resourceName);

  if (manifest.table) {
    const tableArn = from.table.table.tableArn;
    if (manifest.table.actions.length > 0)
      allow(
        manifest.table.actions.map((a) => `dynamodb:${a}`),
        [tableArn],
      );
    const indexes = manifest.table.indexes ?? [];
    if (indexes.length > 0)
      allow(
        ['dynamodb:Query'],
        indexes.map((index) => `${tableArn}/index/${index}`),
      );
  }

  const rights = manifest.serviceExecutions ?? [];
  const machines = Object.values(from.machines.services);
  if (rights.includes('start') && machines.length > 0)
    allow(
      ['states:StartExecution'],
      machines.map((name) => states('stateMachine', name)),
    );
  const onExecutions = rights.filter((r) => r !== 'start').map((r) => EXECUTION_ACTIONS[r]);
  if (onExecutions.length > 0 && machines.length > 0) {
    // Execution ARNs end in the case id (or `<caseId>-<n>` after a continuation), known only at runtime.
    allow(
      onExecutions,
      machines.map((name) => states('execution', `${name}:*`)),
    );
    for (const [serviceId, name] of Object.entries(from.machines.services)) {
      acknowledgements.push({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}:*]`,
        reason: `Executions of the ${serviceId} state machine only; their names (the case id, or <caseId>-<n> after a continuation) are known at runtime.`,
      });
    }
  }
  if (manifest.completesTasks) {
    allow(['states:SendTaskSuccess'], ['*']);
    acknowledgements.push({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'states:SendTaskSuccess supports no resource-level permissions (AWS service authorization reference); the task token itself is the capability.',
    });
  }
  if (manifest.failsTasks) {
    allow(['states:SendTaskFailure'], ['*']);
    acknowledgements.push({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'states:SendTaskFailure supports no resource-level permissions (AWS service authorization reference); the task token itself is the capability.',
    });
  }
  if (manifest.startsRounds) allow(['states:StartExecution'], [states('stateMachine', from.machines.round)]);

  const bucketId = stack.getLogicalId(from.rounds.bucket.node.defaultChild as CfnElement);
  for (const grant of manifest.roundFiles ?? []) {
    allow(
      [...grant.actions],
      grant.files.map((file) => from.rounds.filesArn(file)),
    );
  }
  for (const file of new Set((manifest.roundFiles ?? []).flatMap((g) => g.files))) {
    acknowledgements.push({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ROUND_PREFIX}*/${file}]`,
      reason: `The ${file} file of any round (rounds/<roundId>/${file}): the round id is known only at runtime; no other object of the bucket.`,
    });
  }
  if (manifest.listsRoundBucket) allow(['s3:ListBucket'], [from.rounds.bucket.bucketArn]);

  for (const id of manifest.secrets ?? [])
    allow(['secretsmanager:GetSecretValue'], [from.secrets.secret(id).secretArn]);
  if (manifest.sendsSms) {
    statements.push(...from.sms.sendStatements());
    acknowledgements.push(...from.sms.acknowledgements());
    // Twilio's Messages API is called with the account's auth token, read from its secret.
    if (from.sms.provider === 'twilio' && !manifest.secrets?.includes('twilioAuthToken'))
      allow(['secretsmanager:GetSecretValue'], [from.secrets.secret('twilioAuthToken').secretArn]);
  }
  return { statements, acknowledgements };
}
