import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface DeployOutputsProps {
  readonly apiUrl: string;
  /** The base URL citizens and staff use (context publicUrl, else the API endpoint). */
  readonly publicUrl: string;
  readonly userPoolId: string;
  /** The case table, which a migration after an upgrade is pointed at. */
  readonly tableName: string;
  /** aws: where two-way SMS delivers. */
  readonly smsInboundTopicArn?: string;
  /** twilio: the number's messaging webhook is `<publicUrl>/sms/inbound`. */
  readonly smsWebhook: boolean;
  readonly alarmTopicArn: string;
  readonly dashboardName: string;
}

/** What a deployer needs next, as stack Outputs under fixed names (README, Deploy to AWS). */
export class DeployOutputs extends Construct {
  constructor(scope: Construct, id: string, props: DeployOutputsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const out = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description }).overrideLogicalId(name);
    out('ApiUrl', props.apiUrl, 'The HTTP API endpoint (README, The HTTP API)');
    out(
      'CitizenBaseUrl',
      `${props.publicUrl}/c/`,
      'Citizen links start with this (context publicUrl sets your domain)',
    );
    out(
      'ConsoleUrl',
      `${props.publicUrl}/console`,
      'The caseworker console; staff sign in with the user pool',
    );
    out('UserPoolId', props.userPoolId, 'Create staff users here, with custom:org and custom:orgKind');
    out(
      'CasesTable',
      props.tableName,
      'The case table: an upgrade that moves items names it (README, Upgrading)',
    );
    if (props.smsInboundTopicArn)
      out(
        'SmsInboundTopicArn',
        props.smsInboundTopicArn,
        'Two-way SMS destination of the phone number (update-phone-number --two-way-channel-arn)',
      );
    if (props.smsWebhook)
      out(
        'SmsWebhookUrl',
        `${props.publicUrl}/sms/inbound`,
        "The Twilio number's messaging webhook (HTTP POST)",
      );
    out('AlarmTopicArn', props.alarmTopicArn, 'Alarms are published here; subscribe to be told');
    out('DashboardName', props.dashboardName, 'The CloudWatch dashboard');
    out(
      'DashboardUrl',
      `https://console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards:name=${props.dashboardName}`,
      'The CloudWatch dashboard in the console',
    );
  }
}
