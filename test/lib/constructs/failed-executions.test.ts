import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack } from '../support';
import { StackView } from '../template';

let view: StackView;

beforeAll(() => {
  view = new StackView(buildStack());
});

describe('FailedExecutions', () => {
  it('sends the service machines’ failed, timed out and aborted executions to case-failed', () => {
    const machines = view
      .ofType('AWS::StepFunctions::StateMachine')
      .filter(([, r]) => !String(r.Properties.StateMachineName).endsWith('-round'))
      .map(([id]) => ({ Ref: id }));
    const [, rule] = view.ofType('AWS::Events::Rule')[0] ?? [];
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: machines },
    });
    const queue = view.idOf('AWS::SQS::Queue', () => true);
    const dlq =
      view.ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('FailedExecutions'))?.[0] ?? queue;
    expect(rule?.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [view.fnId('case-failed'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
      },
    ]);
    view.test.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: view.fnId('case-failed') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
    });
  });

  it('lets EventBridge, for this rule only, put undeliverable events in the encrypted dead-letter queue', () => {
    const dlq = view.ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('FailedExecutions'))?.[0];
    const rule = view.ofType('AWS::Events::Rule')[0]?.[0];
    const policy = view
      .ofType('AWS::SQS::QueuePolicy')
      .find(([, r]) => JSON.stringify(r.Properties.Queues).includes(String(dlq)))?.[1];
    if (!policy) throw new Error('no policy on the dead-letter queue');
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
      }),
    );
    expect(view.resource(String(dlq)).Properties.SqsManagedSseEnabled).toBe(true);
  });
});
