import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { handlersFor } from '../../../lib/function-manifest';
import { buildStack } from '../support';
import { StackView } from '../template';

let view: StackView;

beforeAll(() => {
  view = new StackView(buildStack({ alarmEmail: 'beheer@example.nl' }));
});

const alarms = () =>
  view
    .ofType('AWS::CloudWatch::Alarm')
    .map(([, r]) => String(r.Properties.AlarmDescription).replace(/^coproduce: /, ''));

describe('Monitoring', () => {
  it('alarms on failed and timed out executions, Lambda errors and throttles, API 5xx, SMS failures and dead letters', () => {
    const expected = [
      ...['care-plan', 'child-development', 'waste-collection', 'round'].flatMap((m) => [
        `${m} executions failed`,
        `${m} executions timed out`,
      ]),
      ...handlersFor('aws').flatMap((n) => [`${n} errors`, `${n} throttles`]),
      'API 5xx',
      'SMS sends failed',
      'failed executions dead letters',
      'inbound SMS dead letters',
    ];
    expect(alarms().sort()).toEqual(expected.sort());
    const topic = view.idOf('AWS::SNS::Topic', (r) => r.Properties.DisplayName === 'coproduce alarms');
    for (const [, alarm] of view.ofType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties).toMatchObject({
        AlarmActions: [{ Ref: topic }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('alarms on the SmsSendFailed metric of the SMS notifiers of its own stack', () => {
    view.test.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'coproduce',
      MetricName: 'SmsSendFailed',
      Dimensions: [
        { Name: 'service', Value: 'coproduce' },
        { Name: 'stack', Value: view.test.stack.stackName },
      ],
      Statistic: 'Sum',
      Period: 300,
    });
    // The functions that text count under the same stack name, from their environment.
    const functions = Object.values(view.test.template.findResources('AWS::Lambda::Function'));
    const counted = functions
      .map((fn) => fn.Properties.Environment?.Variables?.METRIC_STACK)
      .filter((value) => value !== undefined);
    expect(counted.length).toBeGreaterThan(0);
    expect(new Set(counted)).toEqual(new Set([view.test.stack.stackName]));
  });

  it('tells an encrypted alarm topic that only CloudWatch alarms of this account may use, and the alarm e-mail', () => {
    const topic = view.idOf('AWS::SNS::Topic', (r) => r.Properties.DisplayName === 'coproduce alarms');
    const key = view.idOf('AWS::KMS::Key', (r) => String(r.Properties.Description).includes('alarm'));
    expect(view.resource(topic).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    const fromAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':alarm:*',
            ],
          ],
        },
      },
    };
    view.test.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: fromAlarms,
          }),
        ]),
      },
    });
    view.test.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: fromAlarms,
          }),
        ]),
      },
    });
    view.test.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'beheer@example.nl',
      TopicArn: { Ref: topic },
    });
    expect(
      new StackView(buildStack()).ofType('AWS::SNS::Subscription').map(([, r]) => r.Properties.Protocol),
    ).toEqual(['lambda']);
  });

  it('has one dashboard, named after the stack, with the alarms’ figures', () => {
    const dashboards = view.ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]?.[1].Properties.DashboardName).toBe('coproduce-test');
    const body = JSON.stringify(dashboards[0]?.[1].Properties.DashboardBody);
    for (const metric of [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'Errors',
      'Throttles',
      '5xx',
      'SmsSendFailed',
      'ApproximateNumberOfMessagesVisible',
    ])
      expect(body, metric).toContain(metric);
  });
});
