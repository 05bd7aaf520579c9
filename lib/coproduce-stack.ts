import { Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Service } from '../workflows/schema';
import { Api } from './constructs/api';
import { CaseTable } from './constructs/case-table';
import { DeployOutputs } from './constructs/deploy-outputs';
import { FailedExecutions } from './constructs/failed-executions';
import { Handlers } from './constructs/handlers';
import { InboundSms } from './constructs/inbound-sms';
import { Monitoring } from './constructs/monitoring';
import { RoundBucket } from './constructs/round-bucket';
import { type RoundSettings, RoundWorkflow } from './constructs/round-workflow';
import { Secrets } from './constructs/secrets';
import { ServiceWorkflow } from './constructs/service-workflow';
import { Sms, type TwilioSettings } from './constructs/sms';
import { StaffAuth } from './constructs/staff-auth';
import type { SmsProvider } from './function-manifest';

export interface CoproduceStackProps extends StackProps {
  readonly services: Service[];
  /** The stage in resource names (`coproduce/<stage>/...` secrets); the stack name without `coproduce-` when not given. */
  readonly stage?: string;
  /** Production-like stages keep data: deletion protection and RETAIN. */
  readonly protect: boolean;
  readonly logRetention: RetentionDays;
  readonly retentionDays: number;
  readonly linkTtlDays?: number;
  readonly workflowLogLevel?: LogLevel;
  /** `aws` (End User Messaging SMS, two-way SMS through SNS) by default, or `twilio`. */
  readonly smsProvider?: SmsProvider;
  readonly smsOriginationIdentity?: string;
  /** Required with smsProvider twilio. */
  readonly twilio?: TwilioSettings;
  /** Subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Base URL for citizen links; the API endpoint when not given. */
  readonly publicUrl?: string;
  readonly consoleCallbackUrls?: string[];
  /** Staff e-mail through SES (StaffAuthProps.email); context `staffEmailFrom`, `staffEmailDomain`. */
  readonly staffEmail?: { from: string; verifiedDomain?: string };
  /** Distributed Map settings of the round machine (see README, Rounds: AWS settings). */
  readonly rounds?: RoundSettings & { /** Days before round files expire (default 3). */ fileDays?: number };
}

/** Composes the constructs; all behaviour lives in lib/constructs, what functions may do in lib/function-manifest.ts. */
export class CoproduceStack extends Stack {
  readonly table: CaseTable;
  readonly secrets: Secrets;
  readonly sms: Sms;
  readonly handlers: Handlers;
  readonly workflows: ServiceWorkflow[];
  readonly api: Api;
  readonly auth: StaffAuth;
  readonly roundBucket: RoundBucket;
  readonly roundWorkflow: RoundWorkflow;
  readonly inboundSms?: InboundSms;
  readonly failedExecutions: FailedExecutions;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: CoproduceStackProps) {
    super(scope, id, props);
    const stage = props.stage ?? this.stackName.replace(/^coproduce-/, '');
    const provider = props.smsProvider ?? 'aws';
    const removalPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logs = { retention: props.logRetention, removalPolicy };
    const logLevel = props.workflowLogLevel ?? LogLevel.ERROR;

    this.table = new CaseTable(this, 'Cases', { protect: props.protect });
    this.secrets = new Secrets(this, 'Secrets', {
      stage,
      protect: props.protect,
      twilio: provider === 'twilio',
    });
    this.sms = new Sms(this, 'Sms', {
      provider,
      originationIdentity: props.smsOriginationIdentity,
      twilio: props.twilio,
    });
    let publicUrl = '';
    this.auth = new StaffAuth(this, 'StaffAuth', {
      protect: props.protect,
      ...(props.staffEmail && { email: props.staffEmail }),
      // The console's own callback is known only once the API exists, hence lazy. No other by default: the
      // deployed console always returns to its own, and `npm start` keeps its own list (local/runtime/oauth.ts).
      callbackUrls: [
        ...(props.consoleCallbackUrls ?? []),
        Lazy.string({ produce: () => `${publicUrl}/console/callback` }),
      ],
      // The console's sign-out goes through the managed login's /logout, which returns here only.
      logoutUrls: [Lazy.string({ produce: () => `${publicUrl}/console/signed-out` })],
    });
    this.api = new Api(this, 'Api', {
      ...logs,
      userPool: this.auth.userPool,
      client: this.auth.consoleClient,
    });
    publicUrl = props.publicUrl?.replace(/\/+$/, '') ?? this.api.url;
    this.roundBucket = new RoundBucket(this, 'Rounds', {
      protect: props.protect,
      fileDays: props.rounds?.fileDays,
      accessLogDays: props.logRetention,
    });

    // The machines' names are fixed (`<stackName>-<id>`, set by ServiceWorkflow and RoundWorkflow), so the
    // functions get their ARNs before the machines exist; checked against the machines below.
    const machineName = (id: string) => `${this.stackName}-${id}`;
    this.handlers = new Handlers(this, 'Functions', {
      ...logs,
      table: this.table,
      secrets: this.secrets,
      sms: this.sms,
      rounds: this.roundBucket,
      machines: {
        services: Object.fromEntries(props.services.map((s) => [s.id, machineName(s.id)])),
        round: machineName('round'),
      },
      publicUrl,
      console: {
        cognitoDomain: this.auth.domainUrl,
        clientId: this.auth.consoleClient.userPoolClientId,
        issuer: this.auth.issuer,
        callbackUrl: `${publicUrl}/console/callback`,
        logoutUrl: `${publicUrl}/console/signed-out`,
      },
      retentionDays: props.retentionDays,
      linkTtlDays: props.linkTtlDays ?? 90,
    });
    const fn = this.handlers;

    this.workflows = props.services.map(
      (service) =>
        new ServiceWorkflow(this, `Workflow-${service.id}`, {
          ...logs,
          service,
          table: this.table.table,
          openStep: fn.get('open-step'),
          retimeStep: fn.get('retime-step'),
          logLevel,
        }),
    );
    this.roundWorkflow = new RoundWorkflow(this, 'RoundWorkflow', {
      ...logs,
      ...props.rounds,
      rounds: this.roundBucket,
      validate: fn.get('round-validate'),
      startCases: fn.get('round-start-cases'),
      finish: fn.get('round-finish'),
      logLevel,
    });
    for (const w of [...this.workflows, this.roundWorkflow]) {
      const expected =
        w === this.roundWorkflow ? machineName('round') : machineName((w as ServiceWorkflow).serviceId);
      if (w.name !== expected)
        throw new Error(`state machine ${w.name}: the functions were given ${expected}`);
    }

    for (const { fn: handler, route } of fn.routes()) {
      this.api.addRoute({
        method: HttpMethod[route.method],
        path: route.path,
        fn: handler,
        access: route.access,
      });
      // Public routes authorise inside the handler; cdk-nag is told why, route by route.
      if (route.access === 'public') this.api.acknowledgePublic(`${route.method} ${route.path}`, route.why);
    }

    const inboundSubscriber = fn.find('sms-inbound-topic');
    if (inboundSubscriber)
      this.inboundSms = new InboundSms(this, 'InboundSms', { subscriber: inboundSubscriber, removalPolicy });
    this.failedExecutions = new FailedExecutions(this, 'FailedExecutions', {
      machines: this.workflows.map((w) => w.stateMachine),
      handler: fn.get('case-failed'),
      removalPolicy,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      name: this.stackName,
      serviceMachines: Object.fromEntries(this.workflows.map((w) => [w.serviceId, w.stateMachine])),
      roundMachine: this.roundWorkflow.stateMachine,
      functions: fn.all(),
      api: this.api.httpApi,
      deadLetterQueues: {
        'failed executions': this.failedExecutions.deadLetters.queue,
        ...(this.inboundSms ? { 'inbound SMS': this.inboundSms.deadLetters.queue } : {}),
      },
      alarmEmail: props.alarmEmail,
      removalPolicy,
    });
    new DeployOutputs(this, 'Outputs', {
      apiUrl: this.api.url,
      publicUrl,
      userPoolId: this.auth.userPool.userPoolId,
      tableName: this.table.table.tableName,
      smsInboundTopicArn: this.inboundSms?.topic.topicArn,
      smsWebhook: provider === 'twilio',
      alarmTopicArn: this.monitoring.topic.topicArn,
      dashboardName: this.monitoring.dashboard.dashboardName,
    });
  }
}
