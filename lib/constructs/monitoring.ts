import { ArnFormat, Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SMS_SEND_FAILED } from '../../functions/shared/metric-names';

export interface MonitoringProps {
  /** The dashboard's name (the stack name). */
  readonly name: string;
  /** serviceId -> its state machine. */
  readonly serviceMachines: Record<string, IStateMachine>;
  readonly roundMachine: IStateMachine;
  readonly functions: [string, IFunction][];
  readonly api: HttpApi;
  /** name -> dead-letter queue. */
  readonly deadLetterQueues: Record<string, IQueue>;
  /** Context `alarmEmail`: subscribed to the alarm topic (the address confirms the subscription). */
  readonly alarmEmail?: string;
  readonly removalPolicy: RemovalPolicy;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms on everything that needs a person: executions that failed or timed out (each service
 * machine, and the round machine), Lambda errors and throttles per function, API 5xx (no client can
 * provoke one), SMS sends that failed after their retries, and messages in the dead-letter queues.
 * Each alarm fires on the first occurrence in five minutes and tells the alarm topic (encrypted with
 * a customer managed key that CloudWatch may use). One dashboard shows the same figures.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'coproduce: encrypts the alarm topic',
      // A deleted key waits out the shortest pending window (a torn-down dev stage).
      pendingWindow: Duration.days(7),
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const fromAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': Stack.of(this).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishEncrypted',
        principals: [cloudwatch],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'coproduce alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one: CloudWatch must be allowed to publish explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromAlarms,
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const machines = Object.entries(props.serviceMachines);
    const failed = machines.flatMap(([serviceId, m]) => [
      this.alarm(`${serviceId} executions failed`, m.metricFailed({ period: FIVE_MINUTES })),
      this.alarm(`${serviceId} executions timed out`, m.metricTimedOut({ period: FIVE_MINUTES })),
    ]);
    const round = [
      this.alarm('round executions failed', props.roundMachine.metricFailed({ period: FIVE_MINUTES })),
      this.alarm('round executions timed out', props.roundMachine.metricTimedOut({ period: FIVE_MINUTES })),
    ];
    const errors = props.functions.map(([name, fn]) =>
      this.alarm(`${name} errors`, fn.metricErrors({ period: FIVE_MINUTES })),
    );
    const throttles = props.functions.map(([name, fn]) =>
      this.alarm(`${name} throttles`, fn.metricThrottles({ period: FIVE_MINUTES })),
    );
    const api = this.alarm('API 5xx', props.api.metricServerError({ period: FIVE_MINUTES }));
    const sms = this.alarm(
      'SMS sends failed',
      new Metric({
        namespace: SMS_SEND_FAILED.namespace,
        metricName: SMS_SEND_FAILED.metricName,
        dimensionsMap: { service: SMS_SEND_FAILED.service, stack: Stack.of(this).stackName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
    );
    const dlqs = Object.entries(props.deadLetterQueues).map(([name, queue]) =>
      this.alarm(
        `${name} dead letters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
      ),
    );

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.name });
    const graph = (title: string, alarms: Alarm[]) =>
      new GraphWidget({ title, left: alarms.map((a) => a.metric), width: 12, height: 6 });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('Service executions failed / timed out', failed),
      graph('Round executions', round),
    );
    this.dashboard.addWidgets(graph('Lambda errors', errors), graph('Lambda throttles', throttles));
    this.dashboard.addWidgets(graph('API 5xx', [api]), graph('SMS sends failed', [sms]));
    this.dashboard.addWidgets(graph('Messages in dead-letter queues', dlqs));
  }

  private alarm(what: string, metric: IMetric): Alarm {
    const id = what.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
    const alarm = new Alarm(this, id, {
      alarmDescription: `coproduce: ${what}`,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}
