import type { RemovalPolicy } from 'aws-cdk-lib';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { CaseTable, TableAccess } from './case-table';
import { HandlerFunction, type HandlerName } from './handler-function';
import type { RoundBucket } from './round-bucket';
import { grantRoundFiles, grantRoundStart } from './round-grants';
import type { Secrets } from './secrets';
import type { ServiceWorkflow } from './service-workflow';
import type { Sms } from './sms';

export interface HandlersProps {
  readonly table: CaseTable;
  readonly secrets: Secrets;
  readonly sms: Sms;
  /** The round files; ROUND_BUCKET and the S3 grants of the round functions. */
  readonly rounds: RoundBucket;
  readonly retention: RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  /** Data retention (RETENTION_DAYS) and citizen link lifetime (LINK_TTL_DAYS). */
  readonly retentionDays: number;
  readonly linkTtlDays: number;
}

// Which table access each function needs; `services` only serves the static catalogue.
const TABLE_ACCESS: Record<HandlerName, TableAccess | undefined> = {
  services: undefined,
  assets: undefined,
  'create-case': 'readWrite',
  'list-cases': 'read',
  'get-case': 'read',
  'cancel-case': 'readWrite',
  'submit-step': 'readWrite',
  'citizen-page': 'readWrite',
  'sms-inbound': 'readWrite',
  'open-step': 'readWrite',
  console: 'readWrite',
  'create-round': 'readWrite',
  'start-round': 'readWrite',
  'get-round': 'read',
  'round-validate': 'readWrite',
  'round-start-cases': 'readWrite',
  'round-finish': 'readWrite',
};

/**
 * The functions that need more than the default 10 s and 512 MB. round-validate streams a whole
 * upload (100,000 rows is normal) through the zod checks and writes valid.csv in 5 MiB parts: more
 * memory (and with it CPU). round-start-cases starts one Distributed Map batch; it runs inside an
 * Express child execution, which ends after 5 minutes, so its timeout leaves room for a retry.
 * round-finish counts the round's cases through the byRound index.
 */
const SIZING: Partial<Record<HandlerName, { timeout: Duration; memorySize?: number }>> = {
  'round-validate': { timeout: Duration.minutes(15), memorySize: 1024 },
  'round-start-cases': { timeout: Duration.minutes(2) },
  'round-finish': { timeout: Duration.minutes(1) },
};

/**
 * Functions that start or stop executions (functions/adapters/engine.ts reads STATE_MACHINE_ARNS at
 * load). The others only answer task tokens (functions/adapters/task-completer.ts) and need no ARNs.
 */
const ENGINE_USERS: HandlerName[] = ['create-case', 'cancel-case', 'console', 'round-start-cases'];

/** Engine users that start cases (and describe an execution to recognise a replay). */
const STARTS_CASES: HandlerName[] = ['create-case', 'console', 'round-start-cases'];

/**
 * Functions that complete a step's callback task with SendTaskSuccess; open-step does so when the
 * answer arrived while no token was waiting.
 */
const COMPLETES_TASKS: HandlerName[] = ['submit-step', 'citizen-page', 'sms-inbound', 'open-step', 'console'];

/** The Lambda functions, each with exactly the environment and grants its handler needs. */
export class Handlers extends Construct {
  readonly fns: Record<HandlerName, HandlerFunction>;

  constructor(scope: Construct, id: string, props: HandlersProps) {
    super(scope, id);
    const make = (name: HandlerName) => {
      const fn = new HandlerFunction(this, name, {
        name,
        retention: props.retention,
        removalPolicy: props.removalPolicy,
        ...SIZING[name],
      });
      const access = TABLE_ACCESS[name];
      if (access) {
        props.table.bind(fn, access);
        // The vault and settings modules: every function that touches cases reads them at load.
        fn.addEnvironment('PII_KEY', props.secrets.piiKeyEnv);
        fn.addEnvironment('RETENTION_DAYS', String(props.retentionDays));
        fn.addEnvironment('LINK_TTL_DAYS', String(props.linkTtlDays));
      }
      return fn;
    };
    this.fns = Object.fromEntries(
      (Object.keys(TABLE_ACCESS) as HandlerName[]).map((name) => [name, make(name)]),
    ) as Record<HandlerName, HandlerFunction>;

    this.fns['sms-inbound'].addEnvironment('TWILIO_AUTH_TOKEN', props.secrets.twilioAuthTokenEnv);
    const openStep = this.fns['open-step'];
    props.sms.grantSend(openStep);
    if (props.sms.originationIdentity)
      openStep.addEnvironment('SMS_ORIGINATION_IDENTITY', props.sms.originationIdentity);

    grantRoundFiles(props.rounds, this.fns);

    for (const name of COMPLETES_TASKS) {
      const fn = this.fns[name];
      const policy = new Policy(fn, 'TaskCallback', {
        roles: [fn.executionRole],
        statements: [new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: ['*'] })],
      });
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'states:SendTaskSuccess supports no resource-level permissions (AWS service authorization reference); the task token itself is the capability.',
      });
    }
  }

  /**
   * STATE_MACHINE_ARNS for the engine users; create-case may start (and describe, to recognise a
   * replay) and cancel-case may stop executions of the service machines. The ARNs are built from
   * the explicit machine names rather than referenced: open-step is itself invoked by the machines,
   * and a reference back would be a circular dependency.
   */
  bindWorkflows(workflows: ServiceWorkflow[]): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'states',
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const json = stack.toJsonString(
      Object.fromEntries(workflows.map((w) => [w.serviceId, arn('stateMachine', w.name)])),
    );
    for (const name of ENGINE_USERS) this.fns[name].addEnvironment('STATE_MACHINE_ARNS', json);
    if (workflows.length === 0) return;

    // The console and the round batches start cases too; the console also cancels them.
    for (const w of workflows) {
      for (const name of STARTS_CASES) w.stateMachine.grantStartExecution(this.fns[name]);
    }
    // Execution ARNs end in the case id, known only at runtime: one wildcard per service machine.
    const executions = workflows.map((w) => arn('execution', `${w.name}:*`));
    const grant = (fn: HandlerFunction, id: string, action: string) => {
      const policy = new Policy(fn, id, {
        roles: [fn.executionRole],
        statements: [new PolicyStatement({ actions: [action], resources: executions })],
      });
      for (const w of workflows) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${w.name}:*]`,
          reason: `Executions of the ${w.serviceId} state machine only; the execution name is the case id, known at runtime.`,
        });
      }
    };
    for (const name of STARTS_CASES) grant(this.fns[name], 'DescribeExecutions', 'states:DescribeExecution');
    grant(this.fns['cancel-case'], 'StopExecutions', 'states:StopExecution');
    grant(this.fns.console, 'StopExecutions', 'states:StopExecution');
  }

  /**
   * ROUND_STATE_MACHINE_ARN for start-round and the right to start that machine only. Built from the
   * explicit name like bindWorkflows: the round machine invokes three of these functions.
   */
  bindRoundWorkflow(name: string): void {
    grantRoundStart(this.fns['start-round'], name);
  }

  /** PUBLIC_URL for citizen links and the Twilio signature URL. */
  setPublicUrl(url: string): void {
    for (const fn of Object.values(this.fns)) fn.addEnvironment('PUBLIC_URL', url);
  }
}
