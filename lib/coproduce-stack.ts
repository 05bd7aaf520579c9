import { Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogLevel } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { Service } from '../workflows/schema';
import { Api, type ApiRoute } from './constructs/api';
import { CaseTable } from './constructs/case-table';
import { Handlers } from './constructs/handlers';
import { RoundBucket } from './constructs/round-bucket';
import { type RoundSettings, RoundWorkflow } from './constructs/round-workflow';
import { Secrets } from './constructs/secrets';
import { ServiceWorkflow } from './constructs/service-workflow';
import { Sms } from './constructs/sms';
import { StaffAuth } from './constructs/staff-auth';

export interface CoproduceStackProps extends StackProps {
  readonly services: Service[];
  /** Production-like stages keep data: deletion protection and RETAIN. */
  readonly protect: boolean;
  readonly logRetention: RetentionDays;
  readonly retentionDays: number;
  readonly linkTtlDays?: number;
  readonly workflowLogLevel?: LogLevel;
  readonly smsOriginationIdentity?: string;
  /** Base URL for citizen links; the API endpoint when not given. */
  readonly publicUrl?: string;
  readonly consoleCallbackUrls?: string[];
  /** Distributed Map settings of the round machine (see README, Rounds: AWS settings). */
  readonly rounds?: RoundSettings & { /** Days before round files expire (default 3). */ fileDays?: number };
}

/** Composes the constructs; all behaviour lives in lib/constructs. */
export class CoproduceStack extends Stack {
  readonly table: CaseTable;
  readonly handlers: Handlers;
  readonly workflows: ServiceWorkflow[];
  readonly api: Api;
  readonly auth: StaffAuth;
  readonly roundBucket: RoundBucket;
  readonly roundWorkflow: RoundWorkflow;

  constructor(scope: Construct, id: string, props: CoproduceStackProps) {
    super(scope, id, props);
    let consoleCallback = '';
    const removalPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logs = { retention: props.logRetention, removalPolicy };
    this.table = new CaseTable(this, 'Cases', { protect: props.protect });
    const secrets = new Secrets(this, 'Secrets', { protect: props.protect });
    const sms = new Sms(this, 'Sms', { originationIdentity: props.smsOriginationIdentity });
    this.auth = new StaffAuth(this, 'StaffAuth', {
      protect: props.protect,
      // The console's own callback is known only once the API exists, hence lazy.
      callbackUrls: [
        ...(props.consoleCallbackUrls ?? ['http://localhost:3000/console/']),
        Lazy.string({ produce: () => consoleCallback }),
      ],
    });
    this.roundBucket = new RoundBucket(this, 'Rounds', {
      protect: props.protect,
      fileDays: props.rounds?.fileDays,
      accessLogDays: props.logRetention,
    });
    this.handlers = new Handlers(this, 'Functions', {
      ...logs,
      table: this.table,
      secrets,
      sms,
      rounds: this.roundBucket,
      retentionDays: props.retentionDays,
      linkTtlDays: props.linkTtlDays ?? 90,
    });
    const fns = this.handlers.fns;

    this.workflows = props.services.map(
      (service) =>
        new ServiceWorkflow(this, `Workflow-${service.id}`, {
          ...logs,
          service,
          table: this.table.table,
          openStep: fns['open-step'],
          logLevel: props.workflowLogLevel ?? LogLevel.ERROR,
        }),
    );
    this.handlers.bindWorkflows(this.workflows);
    this.roundWorkflow = new RoundWorkflow(this, 'RoundWorkflow', {
      ...logs,
      ...props.rounds,
      rounds: this.roundBucket,
      validate: fns['round-validate'],
      startCases: fns['round-start-cases'],
      finish: fns['round-finish'],
      logLevel: props.workflowLogLevel ?? LogLevel.ERROR,
    });
    this.handlers.bindRoundWorkflow(this.roundWorkflow.name);

    this.api = new Api(this, 'Api', {
      ...logs,
      userPool: this.auth.userPool,
      client: this.auth.consoleClient,
    });
    const routes: ApiRoute[] = [
      { method: HttpMethod.GET, path: '/services', fn: fns.services, access: 'public' },
      { method: HttpMethod.POST, path: '/cases', fn: fns['create-case'], access: 'staff' },
      { method: HttpMethod.GET, path: '/cases', fn: fns['list-cases'], access: 'staff' },
      { method: HttpMethod.GET, path: '/cases/{caseId}', fn: fns['get-case'], access: 'staff' },
      {
        method: HttpMethod.POST,
        path: '/cases/{caseId}/steps/{stepId}',
        fn: fns['submit-step'],
        access: 'staff',
      },
      { method: HttpMethod.POST, path: '/cases/{caseId}/cancel', fn: fns['cancel-case'], access: 'staff' },
      { method: HttpMethod.POST, path: '/rounds', fn: fns['create-round'], access: 'staff' },
      { method: HttpMethod.GET, path: '/rounds/{roundId}', fn: fns['get-round'], access: 'staff' },
      { method: HttpMethod.POST, path: '/rounds/{roundId}/start', fn: fns['start-round'], access: 'staff' },
      { method: HttpMethod.GET, path: '/c/{linkToken}', fn: fns['citizen-page'], access: 'public' },
      { method: HttpMethod.GET, path: '/c/assets/{file}', fn: fns.assets, access: 'public' },
      {
        method: HttpMethod.POST,
        path: '/c/{linkToken}/steps/{stepId}',
        fn: fns['citizen-page'],
        access: 'public',
      },
      { method: HttpMethod.POST, path: '/sms/inbound', fn: fns['sms-inbound'], access: 'public' },
      { method: HttpMethod.GET, path: '/console', fn: fns.console, access: 'public' },
      { method: HttpMethod.GET, path: '/console/{proxy+}', fn: fns.console, access: 'public' },
      { method: HttpMethod.POST, path: '/console/{proxy+}', fn: fns.console, access: 'public' },
    ];
    for (const route of routes) this.api.addRoute(route);
    // Public routes authorise inside the handler; cdk-nag is told why, route by route.
    this.api.acknowledgePublic(
      'GET /services',
      'The service catalogue is public information for citizens and staff.',
    );
    this.api.acknowledgePublic(
      'GET /c/{linkToken}',
      'Citizens have no account: the per-case link token in the path is checked by the handler and grants that case only.',
    );
    this.api.acknowledgePublic(
      'GET /c/assets/{file}',
      "The citizen pages' stylesheet: a public static file without any case data.",
    );
    this.api.acknowledgePublic(
      'POST /c/{linkToken}/steps/{stepId}',
      'Citizens have no account: the per-case link token in the path is checked by the handler and grants that case only.',
    );
    this.api.acknowledgePublic(
      'POST /sms/inbound',
      'Twilio webhook: the handler verifies the X-Twilio-Signature HMAC with the Twilio auth token.',
    );
    for (const key of ['GET /console', 'GET /console/{proxy+}', 'POST /console/{proxy+}']) {
      this.api.acknowledgePublic(
        key,
        'The caseworker console runs its own session: a signed cookie from a verified Cognito ID token (OAuth code flow with PKCE); every page checks it.',
      );
    }
    const publicUrl = props.publicUrl?.replace(/\/+$/, '') ?? this.api.url;
    this.handlers.setPublicUrl(publicUrl);
    consoleCallback = `${publicUrl}/console/callback`;
    const consoleFn = fns.console;
    consoleFn.addEnvironment('COGNITO_DOMAIN', this.auth.domainUrl);
    consoleFn.addEnvironment('CLIENT_ID', this.auth.consoleClient.userPoolClientId);
    consoleFn.addEnvironment('ISSUER', this.auth.issuer);
    consoleFn.addEnvironment('CALLBACK_URL', consoleCallback);
  }
}
