import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  readonly purpose: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Where an asynchronous delivery lands when its retries are spent, so nothing is lost silently and an
 * alarm (Monitoring) says there is something to look at. Encrypted with SQS-managed keys (SSE-SQS): the
 * senders (EventBridge, SNS and Lambda destinations) then need no KMS grants, and the messages hold ids
 * and error text, not personal data in clear. Kept 14 days, the SQS maximum.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${props.purpose}; messages are inspected by hand after an alarm.`,
    });
  }
}
