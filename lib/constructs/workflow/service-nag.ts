import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';

// cdk-nag acknowledgements of a service machine, each with the reason the finding is intended.

export function acknowledgeServiceMachine(
  machine: StateMachine,
  level: LogLevel,
  functions: Readonly<Record<string, IFunction>>,
): void {
  const role = Validations.of(machine.role);
  role.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Vended log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, ...) and X-Ray tracing support no resource-level permissions.',
  });
  // open-step, and retime-step where a step takes proposals.
  for (const [name, fn] of Object.entries(functions)) {
    const id = Stack.of(machine).getLogicalId(fn.node.defaultChild as CfnElement);
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${id}.Arn>:*]`,
      reason: `The ${name} function and its versions/aliases (added by the LambdaInvoke task), no other function.`,
    });
  }
  if (level !== LogLevel.ALL) {
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Errors are logged by default; context logLevel=ALL turns on every event (execution data stays excluded because it holds case data).',
    });
  }
}
