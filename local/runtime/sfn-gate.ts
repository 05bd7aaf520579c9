/**
 * What the local Step Functions endpoint checks before the engine sees an API call: the caller's IAM
 * permission (states:<Action> on the state machine or execution it names; the task token actions
 * have no resource-level permissions, so `*`), and LOCAL_FAULTS' throttles and service errors.
 * Refusals have the shapes of the AWS JSON 1.0 protocol: AccessDeniedException and
 * ThrottlingException (400, "Rate exceeded"), InternalFailure (500).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultRates } from './fault-rates';
import type { AccessCheck, LocalIam } from './iam';
import { deniedCall, type Refusal, refusal } from './json10-refusal';
import { stateMachineArn } from './names';

export interface SfnGateSetup {
  iam?: LocalIam;
  rates?: FaultRates;
}

/** The IAM check of one Step Functions API call. */
export function sfnCheck(action: string, input: Record<string, unknown>): AccessCheck {
  const arn = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : '*');
  const resource: Record<string, string> = {
    StartExecution: arn('stateMachineArn'),
    StartSyncExecution: arn('stateMachineArn'),
    ListExecutions: arn('stateMachineArn'),
    DescribeStateMachine: arn('stateMachineArn'),
    UpdateStateMachine: arn('stateMachineArn'),
    DeleteStateMachine: arn('stateMachineArn'),
    CreateStateMachine: stateMachineArn(String(input.name ?? '*')),
    DescribeExecution: arn('executionArn'),
    StopExecution: arn('executionArn'),
    RedriveExecution: arn('executionArn'),
    GetExecutionHistory: arn('executionArn'),
  };
  return { action: `states:${action}`, resource: resource[action] ?? '*' };
}

export function gateSfn(
  setup: SfnGateSetup,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Refusal | undefined {
  const action = String(headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
  const denied = deniedCall(setup.iam, headers, body, (input) => [sfnCheck(action, input)]);
  if (denied) return refusal(400, 'AccessDeniedException', denied);
  if (setup.rates?.roll('sfn.throttle')) return refusal(400, 'ThrottlingException', 'Rate exceeded');
  if (setup.rates?.roll('sfn.error'))
    return refusal(
      500,
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
    );
  return undefined;
}
