import { Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export interface InboundSmsProps {
  /** sms-inbound-topic: handles each message with the same receiveSms as the Twilio webhook. */
  readonly subscriber: LambdaFunction;
  readonly removalPolicy: RemovalPolicy;
}

/** The service principal of AWS End User Messaging SMS (two-way SMS publishes as this principal). */
const SMS_VOICE = 'sms-voice.amazonaws.com';

/**
 * Inbound SMS on AWS: End User Messaging two-way SMS publishes every message to the phone number to
 * this topic, and the topic delivers it to sms-inbound-topic. No public webhook: only End User
 * Messaging of this account may publish (topic and key policies with aws:SourceAccount and
 * aws:SourceArn against the confused deputy, as the two-way SMS guide recommends), and the topic is
 * encrypted with a customer managed key (the AWS managed SNS key cannot grant a service principal).
 *
 * Delivery is asynchronous: Lambda retries a failed invocation twice, then the message goes to the
 * dead-letter queue, so a message that keeps failing never loops. The handler drops (and logs) a
 * message it cannot use without throwing; only a transient failure throws and is retried.
 */
export class InboundSms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: InboundSmsProps) {
    super(scope, id);
    const sourceConditions = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': Stack.of(this).formatArn({
          service: 'sms-voice',
          resource: '*',
          resourceName: undefined,
        }),
      },
    };
    this.key = new Key(this, 'Key', {
      description: 'coproduce: encrypts the inbound SMS topic',
      // A deleted key waits out the shortest pending window (a torn-down dev stage).
      pendingWindow: Duration.days(7),
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishesEncrypted',
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: sourceConditions,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'coproduce inbound SMS',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishes',
        principals: [new ServicePrincipal(SMS_VOICE)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: sourceConditions,
      }),
    );
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'inbound SMS (SNS deliveries that failed and invocations whose retries were spent)',
      removalPolicy: props.removalPolicy,
    });
    // SNS's own redrive catches deliveries it cannot make (e.g. the function throttled for too long).
    this.topic.addSubscription(
      new LambdaSubscription(props.subscriber, { deadLetterQueue: this.deadLetters.queue }),
    );
    // A reply is only useful soon: an hour of retries is plenty; then the dead-letter queue.
    props.subscriber.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
  }
}
