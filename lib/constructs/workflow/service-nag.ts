import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';

// cdk-nag acknowledgements of a service machine, each with the reason the finding is intended.

export function acknowledgeServiceMachine(
  machine: StateMachine,
  level: LogLevel,
  openStepFn: IFunction,
): void {
  const role = Validations.of(machine.role);
  role.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Vended log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, ...) and X-Ray tracing support no resource-level permissions.',
  });
  const openStep = Stack.of(machine).getLogicalId(openStepFn.node.defaultChild as CfnElement);
  role.acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${openStep}.Arn>:*]`,
    reason:
      'The open-step function and its versions/aliases (added by the LambdaInvoke task), no other function.',
  });
  if (level !== LogLevel.ALL) {
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Errors are logged by default; context logLevel=ALL turns on every event (execution data stays excluded because it holds case data).',
    });
  }
}
