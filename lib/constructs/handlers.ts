import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type FunctionManifest,
  HANDLER_NAMES,
  type HandlerName,
  manifestOf,
  type Route,
  type SmsProvider,
} from '../function-manifest';
import type { CaseTable } from './case-table';
import { type MachineNames, type PermissionSources, permissionsOf, statesArn } from './function-permissions';
import { HandlerFunction } from './handler-function';
import type { RoundBucket } from './round-bucket';
import { SECRET_ENV, type Secrets } from './secrets';
import type { Sms } from './sms';

/** The console's OAuth settings (the `console` setting). */
export interface ConsoleSettings {
  readonly cognitoDomain: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly callbackUrl: string;
  /** Where the managed login's /logout sends staff after a sign-out (an allowed sign-out URL). */
  readonly logoutUrl: string;
}

export interface HandlersProps {
  readonly table: CaseTable;
  readonly secrets: Secrets;
  readonly sms: Sms;
  readonly rounds: RoundBucket;
  /**
   * The state machines, by their explicit names. The ARNs are built from the names rather than
   * referenced: open-step and the round functions are invoked by those machines, and a reference
   * back would be a circular dependency.
   */
  readonly machines: MachineNames;
  /** Base URL for citizen links and the Twilio signature URL (PUBLIC_URL). */
  readonly publicUrl: string;
  readonly console: ConsoleSettings;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  /** Data retention (RETENTION_DAYS) and citizen link lifetime (LINK_TTL_DAYS). */
  readonly retentionDays: number;
  readonly linkTtlDays: number;
}

export interface FunctionRoute {
  readonly name: HandlerName;
  readonly fn: HandlerFunction;
  readonly route: Route;
}

/**
 * The Lambda functions of the manifest (lib/function-manifest.ts) that exist under the configured SMS
 * provider, each with exactly the environment and the IAM policy its entry declares: one loop, no
 * grant anywhere else (the triggers add only their invoke permissions and on-failure queues).
 */
export class Handlers extends Construct {
  private readonly fns = new Map<HandlerName, HandlerFunction>();
  readonly provider: SmsProvider;

  constructor(scope: Construct, id: string, props: HandlersProps) {
    super(scope, id);
    this.provider = props.sms.provider;
    const sources: PermissionSources = props;
    for (const name of HANDLER_NAMES) {
      const manifest = manifestOf(name);
      if (manifest.provider && manifest.provider !== this.provider) continue;
      const fn = new HandlerFunction(this, name, {
        name,
        description: `coproduce ${name}`,
        retention: props.retention,
        removalPolicy: props.removalPolicy,
        timeout: Duration.seconds(manifest.sizing?.timeoutSeconds ?? 10),
        memorySize: manifest.sizing?.memoryMb,
        environment: this.environmentOf(manifest, props),
      });
      const { statements, acknowledgements } = permissionsOf(this, manifest, sources);
      if (statements.length > 0) {
        const policy = new Policy(fn, 'Permissions', { roles: [fn.executionRole], statements });
        const seen = new Set<string>();
        for (const ack of acknowledgements) {
          if (seen.has(ack.id)) continue;
          seen.add(ack.id);
          Validations.of(policy).acknowledge(ack);
        }
      }
      this.fns.set(name, fn);
    }
  }

  private environmentOf(manifest: FunctionManifest, props: HandlersProps): Record<string, string> {
    const env: Record<string, string> = {};
    const stack = Stack.of(this);
    if (manifest.table) env.TABLE_NAME = props.table.table.tableName;
    // The engine adapter names a service's machine (start, stop, redrive); describing alone works on the
    // execution ARN the function is given (case-failed gets it in the event).
    if ((manifest.serviceExecutions ?? []).some((right) => right !== 'describe')) {
      const arns = Object.entries(props.machines.services).map(([serviceId, name]) => [
        serviceId,
        statesArn(this, 'stateMachine', name),
      ]);
      env.STATE_MACHINE_ARNS = stack.toJsonString(Object.fromEntries(arns));
    }
    if (manifest.startsRounds)
      env.ROUND_STATE_MACHINE_ARN = statesArn(this, 'stateMachine', props.machines.round);
    if (manifest.roundFiles || manifest.listsRoundBucket) env.ROUND_BUCKET = props.rounds.bucket.bucketName;
    const secrets = new Set(manifest.secrets ?? []);
    if (manifest.sendsSms) {
      // A function that exists under one provider only needs no SMS_PROVIDER to tell it which.
      Object.assign(env, props.sms.environment({ tellProvider: manifest.provider === undefined }));
      if (props.sms.provider === 'twilio') secrets.add('twilioAuthToken');
    }
    for (const secret of secrets) env[SECRET_ENV[secret]] = props.secrets.secret(secret).secretArn;
    for (const setting of manifest.settings ?? []) {
      if (setting === 'publicUrl') env.PUBLIC_URL = props.publicUrl;
      if (setting === 'retention') {
        env.RETENTION_DAYS = String(props.retentionDays);
        env.LINK_TTL_DAYS = String(props.linkTtlDays);
      }
      if (setting === 'console') {
        env.COGNITO_DOMAIN = props.console.cognitoDomain;
        env.CLIENT_ID = props.console.clientId;
        env.ISSUER = props.console.issuer;
        env.CALLBACK_URL = props.console.callbackUrl;
        env.LOGOUT_URL = props.console.logoutUrl;
      }
    }
    return env;
  }

  /** The function of a handler; it must exist under the configured provider. */
  get(name: HandlerName): HandlerFunction {
    const fn = this.fns.get(name);
    if (!fn) throw new Error(`no function ${name} with smsProvider=${this.provider}`);
    return fn;
  }

  /** The function of a handler, if it exists under the configured provider. */
  find(name: HandlerName): HandlerFunction | undefined {
    return this.fns.get(name);
  }

  all(): [HandlerName, HandlerFunction][] {
    return [...this.fns];
  }

  /** Every HTTP route of the manifest with its function. */
  routes(): FunctionRoute[] {
    return this.all().flatMap(([name, fn]) => {
      const trigger = manifestOf(name).trigger;
      return 'routes' in trigger ? trigger.routes.map((route) => ({ name, fn, route })) : [];
    });
  }
}
