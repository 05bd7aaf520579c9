import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, TWILIO } from '../support';
import { StackView } from '../template';

let aws: StackView;

beforeAll(() => {
  aws = new StackView(buildStack());
});

// The conditions End User Messaging's two-way SMS guide recommends against the confused deputy.
const fromEndUserMessaging = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':sms-voice:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':*',
        ],
      ],
    },
  },
};

describe('InboundSms (smsProvider=aws)', () => {
  it('is an SNS topic encrypted with a rotated customer managed key that End User Messaging may use', () => {
    const key = aws.idOf('AWS::KMS::Key', (r) => String(r.Properties.Description).includes('inbound SMS'));
    const topic = aws.idOf('AWS::SNS::Topic', (r) => r.Properties.DisplayName === 'coproduce inbound SMS');
    expect(aws.resource(topic).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [key, 'Arn'] });
    expect(aws.resource(key).Properties.EnableKeyRotation).toBe(true);
    aws.test.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'EndUserMessagingPublishesEncrypted',
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: fromEndUserMessaging,
          },
        ]),
      },
    });
    aws.test.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'EndUserMessagingPublishes',
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topic },
            Condition: fromEndUserMessaging,
          },
        ]),
      },
    });
  });

  it('delivers to sms-inbound-topic with two retries, a one-hour age limit and an encrypted dead-letter queue', () => {
    const fn = aws.fnId('sms-inbound-topic');
    const topic = aws.idOf('AWS::SNS::Topic', (r) => r.Properties.DisplayName === 'coproduce inbound SMS');
    const [queue] = aws.ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('InboundSms')) ?? [];
    if (!queue) throw new Error('no inbound SMS dead-letter queue');
    aws.test.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    });
    aws.test.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    expect(aws.resource(queue).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    aws.test.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topic },
    });
  });

  it('does not exist with Twilio, which uses the signed webhook instead', () => {
    const twilio = new StackView(buildStack({ smsProvider: 'twilio', twilio: TWILIO }));
    expect(twilio.ofType('AWS::SNS::Subscription')).toEqual([]);
    expect(twilio.ofType('AWS::SNS::Topic').map(([, r]) => r.Properties.DisplayName)).toEqual([
      'coproduce alarms',
    ]);
  });
});
