import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { RoundBucket } from '../round-bucket';

// cdk-nag acknowledgements of the round machine, each with the reason the finding is intended.

export interface RoundMachineParts {
  readonly rounds: RoundBucket;
  readonly validate: IFunction;
  readonly startCases: IFunction;
  readonly finish: IFunction;
  readonly logLevel?: LogLevel;
}

export function acknowledgeRoundMachine(machine: StateMachine, props: RoundMachineParts): void {
  const stack = Stack.of(machine);
  const role = Validations.of(machine.role);
  role.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Vended log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, ...) and X-Ray tracing support no resource-level permissions.',
  });
  for (const fn of [props.validate, props.startCases, props.finish]) {
    const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
      reason:
        'One round function and its versions/aliases (added by the LambdaInvoke task), no other function.',
    });
  }
  const bucketId = stack.getLogicalId(props.rounds.bucket.node.defaultChild as CfnElement);
  role.acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/rounds/*/valid.csv]`,
    reason:
      "The Distributed Map's ItemReader reads rounds/<roundId>/valid.csv of the running round; not the uploads, nothing else.",
  });
  // CDK's own policy for the Distributed Map (StartExecution of its child executions, Describe/Stop
  // and Redrive of them), rendered by cdk-nag with the machine ARN split into its name.
  const dmap = machine.node.tryFindChild('DistributedMapPolicy');
  if (dmap) {
    const machineId = stack.getLogicalId(machine.node.defaultChild as CfnElement);
    const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}`;
    Validations.of(dmap).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}:*]`,
      reason:
        "The Distributed Map's child executions of this round machine only (Describe/StopExecution); their names are made at runtime.",
    });
    Validations.of(dmap).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}/*:*]`,
      reason:
        "Redriving this machine's own Map Runs (execution/<label>:<id>), required by CDK for a Distributed Map.",
    });
  }
  if ((props.logLevel ?? LogLevel.ERROR) !== LogLevel.ALL) {
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Errors are logged by default; context logLevel=ALL turns on every event (execution data stays excluded because batches hold personal data).',
    });
  }
}
