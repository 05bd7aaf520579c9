import type { TABLE } from '../functions/adapters/table-keys';

// What each Lambda function may do, said once. The Handlers construct turns every entry into the
// function, its IAM policy and its environment in one loop; test/lib/least-privilege.test.ts reads the
// handler's code and proves that the grants are exactly what the code calls, no more and no less.

export type SmsProvider = 'aws' | 'twilio';

/** DynamoDB actions on the case table itself; `Query` here means a query of the table, not an index. */
export type TableAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'BatchGetItem'
  | 'BatchWriteItem';
/** Indexes the function queries (dynamodb:Query on that index only). */
export type TableIndex = (typeof TABLE)['byPhone' | 'byService' | 'byServiceCreated' | 'byRound']['name'];

/**
 * Rights on the executions of the service state machines: start (StartExecution on the machines),
 * describe, stop and redrive (on `execution:<machine>:*`, which also covers the continuations
 * `<caseId>-<n>` of a case). Start, stop and redrive give the function STATE_MACHINE_ARNS; describe
 * alone works on an execution ARN the function is given.
 */
export type ExecutionRight = 'start' | 'describe' | 'stop' | 'redrive';

export type RoundFile = 'upload.csv' | 'valid.csv';
export interface RoundFileGrant {
  /**
   * Multipart uploads (Create/UploadPart/Complete) are authorised by s3:PutObject; HeadObject by
   * s3:GetObject; a failed multipart write needs s3:AbortMultipartUpload to clean up its parts.
   */
  readonly actions: readonly (
    | 's3:GetObject'
    | 's3:PutObject'
    | 's3:AbortMultipartUpload'
    | 's3:DeleteObject'
  )[];
  readonly files: readonly RoundFile[];
}

/** The secrets a function reads at runtime (functions/shared/secrets.ts); it gets only their ARNs. */
export type SecretId = 'piiKey' | 'twilioAuthToken';

/**
 * Settings, as groups of environment variables: `publicUrl` PUBLIC_URL; `retention` RETENTION_DAYS and
 * LINK_TTL_DAYS; `console` COGNITO_DOMAIN, CLIENT_ID, ISSUER, CALLBACK_URL, LOGOUT_URL. The table, round bucket,
 * state machines, secrets and SMS settings follow from the grants above.
 */
export type Setting = 'publicUrl' | 'retention' | 'console';

/** DELETE: withdrawing a delegate's link (the citizen page); no other route deletes. */
export type RouteMethod = 'GET' | 'POST' | 'DELETE';

export type Route =
  | { readonly method: RouteMethod; readonly path: string; readonly access: 'staff' }
  /** No gateway authorizer: `why` says how the handler itself decides (cdk-nag APIG4 acknowledgement). */
  | {
      readonly method: RouteMethod;
      readonly path: string;
      readonly access: 'public';
      readonly why: string;
    };

/**
 * How a function is invoked: HTTP API routes, a state machine task (the service machines or the
 * round machine), the inbound SMS topic (SNS, asynchronous) or the rule on failed executions
 * (EventBridge, asynchronous). The asynchronous ones get retries and an on-failure queue.
 */
export type Trigger =
  | { readonly routes: readonly Route[] }
  | { readonly by: 'service-machines' | 'round-machine' | 'inbound-sms-topic' | 'failed-executions' };

export interface FunctionManifest {
  readonly purpose: string;
  /** The function exists only under this `smsProvider`; absent: always. */
  readonly provider?: SmsProvider;
  readonly trigger: Trigger;
  readonly table?: { readonly actions: readonly TableAction[]; readonly indexes?: readonly TableIndex[] };
  readonly serviceExecutions?: readonly ExecutionRight[];
  /** states:SendTaskSuccess: the function completes a step's waiting task with its token. */
  readonly completesTasks?: boolean;
  /**
   * states:SendTaskFailure: the function ends a step's waiting task with Step.Retimed, so the state
   * machine re-arms it on a moved schedule (negotiated due dates, functions/proposals/).
   */
  readonly failsTasks?: boolean;
  /** StartExecution of the round machine (ROUND_STATE_MACHINE_ARN). */
  readonly startsRounds?: boolean;
  /** What it may do with the round files (ROUND_BUCKET); only these files, of any round. */
  readonly roundFiles?: readonly RoundFileGrant[];
  /** s3:ListBucket on the round bucket: without it S3 answers HeadObject of a missing key with 403, not 404. */
  readonly listsRoundBucket?: boolean;
  readonly secrets?: readonly SecretId[];
  /**
   * Sends SMS through the configured provider: `aws` sms-voice:SendTextMessage from the origination
   * identity (SMS_ORIGINATION_IDENTITY); `twilio` the Messages API (TWILIO_ACCOUNT_SID, TWILIO_FROM,
   * TWILIO_API_URL) with the auth token secret. SMS_PROVIDER says which (unless the function exists
   * under one provider only).
   */
  readonly sendsSms?: boolean;
  readonly settings?: readonly Setting[];
  /** Seconds and MB; 10 s and 512 MB unless the function streams, batches or counts more. */
  readonly sizing?: { readonly timeoutSeconds?: number; readonly memoryMb?: number };
}

const CITIZEN_LINK =
  'Citizens have no account: the per-case link token in the path is checked by the handler and grants that case only.';
const CONSOLE_SESSION =
  'The caseworker console runs its own session: a signed cookie from a verified Cognito ID token (OAuth code flow with PKCE), held server side until sign-out; every page checks it.';
const read: TableAction[] = ['GetItem', 'Query'];

export const FUNCTIONS = {
  services: {
    purpose: 'the service catalogue',
    trigger: {
      routes: [
        {
          method: 'GET',
          path: '/services',
          access: 'public',
          why: 'The service catalogue is public information for citizens and staff.',
        },
      ],
    },
  },
  openapi: {
    purpose: 'the published API contract (OpenAPI 3.1)',
    trigger: {
      routes: [
        {
          method: 'GET',
          path: '/openapi.json',
          access: 'public',
          why: 'The API contract is public documentation, generated from the request schemas; it holds no data.',
        },
      ],
    },
    // The document's server URL.
    settings: ['publicUrl'],
  },
  assets: {
    purpose: "the citizen pages' stylesheet",
    trigger: {
      routes: [
        {
          method: 'GET',
          path: '/c/assets/{file}',
          access: 'public',
          why: "The citizen pages' stylesheet: a public static file without any case data.",
        },
      ],
    },
  },
  'create-case': {
    purpose: 'starts a case',
    trigger: { routes: [{ method: 'POST', path: '/cases', access: 'staff' }] },
    table: { actions: ['GetItem', 'PutItem'] },
    serviceExecutions: ['start', 'describe'],
    secrets: ['piiKey'],
    settings: ['publicUrl', 'retention'],
  },
  'list-cases': {
    purpose: "lists the organisation's cases",
    trigger: { routes: [{ method: 'GET', path: '/cases', access: 'staff' }] },
    // A page of all statuses: keys from byServiceCreated, then the cases by key (BatchGetItem). PutItem:
    // the processing log records each case whose reference (opened with its key) is listed.
    table: { actions: ['GetItem', 'BatchGetItem', 'PutItem'], indexes: ['byService', 'byServiceCreated'] },
    // Page cursors are sealed with a key derived from the PII secret (functions/shared/cursor.ts).
    secrets: ['piiKey'],
  },
  'get-case': {
    purpose: 'one case with both partners',
    trigger: { routes: [{ method: 'GET', path: '/cases/{caseId}', access: 'staff' }] },
    // PutItem: the read's processing log record, written before the case is returned.
    table: { actions: [...read, 'PutItem'] },
    secrets: ['piiKey'],
  },
  'case-processing': {
    purpose: "a case's whole processing log",
    trigger: { routes: [{ method: 'GET', path: '/cases/{caseId}/processing', access: 'staff' }] },
    // GetItem: the case, for its organisation; Query: a page of its LOG# records. It writes nothing.
    table: { actions: ['GetItem', 'Query'] },
    // Page cursors are sealed with a key derived from the PII secret (functions/shared/cursor.ts).
    secrets: ['piiKey'],
  },
  'cancel-case': {
    purpose: 'stops a case',
    trigger: { routes: [{ method: 'POST', path: '/cases/{caseId}/cancel', access: 'staff' }] },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    serviceExecutions: ['stop'],
    // The reason is sealed with the case's key.
    secrets: ['piiKey'],
  },
  'erase-case': {
    purpose: "erases a case's personal data (its data key), logged with a reason",
    trigger: { routes: [{ method: 'POST', path: '/cases/{caseId}/erase', access: 'staff' }] },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
    // A running case is stopped first: it cannot go on without its citizen's data.
    serviceExecutions: ['stop'],
    // The reason in the processing log is sealed with the stack's key.
    secrets: ['piiKey'],
  },
  'redrive-case': {
    purpose: 'resumes a failed case (RedriveExecution)',
    trigger: { routes: [{ method: 'POST', path: '/cases/{caseId}/redrive', access: 'staff' }] },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    // DescribeExecution: a redrive whose answer was lost counts when the execution runs again.
    serviceExecutions: ['describe', 'redrive'],
  },
  'reopen-case': {
    purpose: 'reopens a completed case at the stage its service names',
    trigger: { routes: [{ method: 'POST', path: '/cases/{caseId}/reopen', access: 'staff' }] },
    // PutItem: the event and the processing log record; UpdateItem: COMPLETED -> ACTIVE.
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    // Start: the new execution; describe: a retry finds the one it started.
    serviceExecutions: ['start', 'describe'],
    // The reason is sealed with the case's key.
    secrets: ['piiKey'],
    // The citizen is told by SMS, with their link.
    sendsSms: true,
    settings: ['publicUrl'],
  },
  'submit-step': {
    purpose: "submits a provider's step",
    trigger: { routes: [{ method: 'POST', path: '/cases/{caseId}/steps/{stepId}', access: 'staff' }] },
    // Query: whether the answer ended its stage visit, read from the case's events for the service
    // report; PutItem/UpdateItem also claim and add to its aggregates (functions/reports/tally.ts).
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] },
    completesTasks: true,
    // The answers are sealed with the case's key.
    secrets: ['piiKey'],
  },
  'citizen-page': {
    purpose: "the citizen's page and forms",
    trigger: {
      routes: [
        { method: 'GET', path: '/c/{linkToken}', access: 'public', why: CITIZEN_LINK },
        { method: 'GET', path: '/c/{linkToken}/export', access: 'public', why: CITIZEN_LINK },
        { method: 'POST', path: '/c/{linkToken}/steps/{stepId}', access: 'public', why: CITIZEN_LINK },
        { method: 'POST', path: '/c/{linkToken}/reopen', access: 'public', why: CITIZEN_LINK },
        // The forms' addresses asked for with GET (a reload, a restored tab): back to the page.
        { method: 'GET', path: '/c/{linkToken}/steps/{stepId}', access: 'public', why: CITIZEN_LINK },
        { method: 'GET', path: '/c/{linkToken}/reopen', access: 'public', why: CITIZEN_LINK },
        { method: 'GET', path: '/c/{linkToken}/delegates', access: 'public', why: CITIZEN_LINK },
        // Helpers (delegation/): the citizen's own link adds and withdraws them; a helper's link is refused.
        { method: 'POST', path: '/c/{linkToken}/delegates', access: 'public', why: CITIZEN_LINK },
        {
          method: 'DELETE',
          path: '/c/{linkToken}/delegates/{delegateId}',
          access: 'public',
          why: CITIZEN_LINK,
        },
        {
          method: 'POST',
          path: '/c/{linkToken}/delegates/{delegateId}/revoke',
          access: 'public',
          why: CITIZEN_LINK,
        },
      ],
    },
    table: { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'] },
    completesTasks: true,
    // A reopened case's new execution (start; describe when a retry finds it started).
    serviceExecutions: ['start', 'describe'],
    secrets: ['piiKey'],
    // The SMS that tells the citizen their case was reopened.
    sendsSms: true,
    settings: ['publicUrl', 'retention'],
  },
  'sms-inbound': {
    purpose: "Twilio's signed webhook for SMS replies",
    provider: 'twilio',
    trigger: {
      routes: [
        {
          method: 'POST',
          path: '/sms/inbound',
          access: 'public',
          why: 'Twilio webhook: the handler verifies the X-Twilio-Signature HMAC with the Twilio auth token.',
        },
      ],
    },
    // Query: an answer may end its stage visit, counted in the service report (functions/reports/tally.ts).
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], indexes: ['byPhone'] },
    completesTasks: true,
    // "<code> JA" accepts the organisation's proposed due date: the step's wait is re-timed.
    failsTasks: true,
    secrets: ['piiKey', 'twilioAuthToken'],
    settings: ['publicUrl', 'retention'],
  },
  'sms-inbound-topic': {
    purpose: 'SMS replies from End User Messaging two-way SMS (SNS)',
    provider: 'aws',
    trigger: { by: 'inbound-sms-topic' },
    // Query: an answer may end its stage visit, counted in the service report (functions/reports/tally.ts).
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], indexes: ['byPhone'] },
    completesTasks: true,
    // "<code> JA" accepts the organisation's proposed due date: the step's wait is re-timed.
    failsTasks: true,
    secrets: ['piiKey'],
    sendsSms: true,
    settings: ['publicUrl', 'retention'],
  },
  'open-step': {
    purpose: "opens a step: records the task token and notifies the step's actor",
    trigger: { by: 'service-machines' },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: ['byPhone'] },
    completesTasks: true,
    // A wait planned on a schedule an accepted proposal has moved since is ended with Step.Retimed.
    failsTasks: true,
    secrets: ['piiKey'],
    sendsSms: true,
    settings: ['publicUrl', 'retention'],
  },
  'case-failed': {
    purpose: 'marks the case of a failed, timed out or aborted execution FAILED',
    trigger: { by: 'failed-executions' },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    serviceExecutions: ['describe'],
  },
  console: {
    purpose: 'the caseworker console',
    trigger: {
      routes: [
        { method: 'GET', path: '/console', access: 'public', why: CONSOLE_SESSION },
        { method: 'GET', path: '/console/{proxy+}', access: 'public', why: CONSOLE_SESSION },
        { method: 'POST', path: '/console/{proxy+}', access: 'public', why: CONSOLE_SESSION },
      ],
    },
    // Sessions are items too (PutItem at sign-in, GetItem per request, DeleteItem at sign-out); a list of
    // all statuses reads its page of cases by key (BatchGetItem) from byServiceCreated.
    table: {
      actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchGetItem'],
      indexes: ['byService', 'byServiceCreated', 'byRound'],
    },
    serviceExecutions: ['start', 'describe', 'stop', 'redrive'],
    completesTasks: true,
    // "Akkoord" on the citizen's proposed due date re-times the step's wait.
    failsTasks: true,
    secrets: ['piiKey'],
    // "Heropenen" tells the citizen by SMS.
    sendsSms: true,
    settings: ['publicUrl', 'retention', 'console'],
  },
  'create-round': {
    purpose: 'creates a round and signs its upload URL',
    trigger: { routes: [{ method: 'POST', path: '/rounds', access: 'staff' }] },
    table: { actions: ['GetItem', 'PutItem'] },
    // Signs the presigned PUT URL of the caller's upload: the URL carries this role's permission.
    roundFiles: [{ actions: ['s3:PutObject'], files: ['upload.csv'] }],
    secrets: ['piiKey'],
    settings: ['publicUrl', 'retention'],
  },
  'start-round': {
    purpose: 'checks the upload and starts the round machine',
    trigger: { routes: [{ method: 'POST', path: '/rounds/{roundId}/start', access: 'staff' }] },
    table: { actions: ['GetItem', 'Query', 'UpdateItem', 'BatchWriteItem'] },
    roundFiles: [{ actions: ['s3:GetObject'], files: ['upload.csv'] }],
    listsRoundBucket: true,
    startsRounds: true,
  },
  'get-round': {
    purpose: "a round's progress",
    trigger: { routes: [{ method: 'GET', path: '/rounds/{roundId}', access: 'staff' }] },
    table: { actions: read },
    // The references of rows without a case are sealed with the round's key.
    secrets: ['piiKey'],
  },
  'round-validate': {
    purpose: 'validates the uploaded rows and writes valid.csv',
    trigger: { by: 'round-machine' },
    table: { actions: ['GetItem', 'UpdateItem', 'BatchWriteItem'] },
    roundFiles: [
      // A refused upload is removed: it holds the rows in clear.
      { actions: ['s3:GetObject', 's3:DeleteObject'], files: ['upload.csv'] },
      // valid.csv is written, and removed again when the round is refused after writing it.
      { actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], files: ['valid.csv'] },
    ],
    // Seals every valid row with the round's key (created here when the round has none yet).
    secrets: ['piiKey'],
    // Streams a whole upload (100,000 rows is normal) through the checks: more memory, and with it CPU.
    sizing: { timeoutSeconds: 900, memoryMb: 1024 },
  },
  'round-start-cases': {
    purpose: 'starts the cases of one Distributed Map batch',
    trigger: { by: 'round-machine' },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'] },
    serviceExecutions: ['start', 'describe'],
    secrets: ['piiKey'],
    settings: ['publicUrl', 'retention'],
    // Runs inside an Express child execution (5 minutes at most): room for one retry.
    sizing: { timeoutSeconds: 120 },
  },
  'round-finish': {
    purpose: "records the round's result and removes its files",
    trigger: { by: 'round-machine' },
    table: { actions: ['Query', 'UpdateItem'], indexes: ['byRound'] },
    roundFiles: [{ actions: ['s3:DeleteObject'], files: ['upload.csv', 'valid.csv'] }],
    // Counts the round's cases through the byRound index.
    sizing: { timeoutSeconds: 60 },
  },
  'service-report': {
    purpose: 'who waits on whom: a service report from running aggregates',
    trigger: {
      routes: [{ method: 'GET', path: '/services/{serviceId}/report', access: 'staff' }],
    },
    // One query of the service's aggregate items (functions/adapters/dynamo-report.ts).
    table: { actions: ['Query'] },
  },
  'retime-step': {
    purpose: "says how a step's wait goes on after an accepted proposal moved its schedule",
    trigger: { by: 'service-machines' },
    table: { actions: ['GetItem'] },
  },
  'case-proposals': {
    purpose: 'staff propose a new due date for a step, or answer the citizen’s proposal',
    trigger: {
      routes: [
        { method: 'POST', path: '/cases/{caseId}/steps/{stepId}/proposals', access: 'staff' },
        { method: 'POST', path: '/cases/{caseId}/proposals/{proposalId}', access: 'staff' },
      ],
    },
    // UpdateItem: the proposal on its step; PutItem: its events.
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    // An accepted proposal re-arms the step's wait (Step.Retimed).
    failsTasks: true,
    // The reason and note are sealed with the case's key.
    secrets: ['piiKey'],
    // The citizen is told of the proposal by SMS (with their link when it is not their step).
    sendsSms: true,
    settings: ['publicUrl'],
  },
  'citizen-proposals': {
    purpose: 'the citizen proposes a new due date for a step, or answers the provider’s proposal',
    trigger: {
      routes: [
        {
          method: 'POST',
          path: '/c/{linkToken}/steps/{stepId}/proposals',
          access: 'public',
          why: CITIZEN_LINK,
        },
        {
          method: 'POST',
          path: '/c/{linkToken}/proposals/{proposalId}',
          access: 'public',
          why: CITIZEN_LINK,
        },
      ],
    },
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    failsTasks: true,
    secrets: ['piiKey'],
    settings: ['publicUrl'],
  },
} as const satisfies Record<string, FunctionManifest>;

/** The handler entry files in functions/handlers/ (one function each). */
export type HandlerName = keyof typeof FUNCTIONS;

export const HANDLER_NAMES = Object.keys(FUNCTIONS) as HandlerName[];

/** The manifest entry of a function, typed as the general shape. */
export const manifestOf = (name: HandlerName): FunctionManifest => FUNCTIONS[name];

/** The functions that exist under a provider. */
export function handlersFor(provider: SmsProvider): HandlerName[] {
  return HANDLER_NAMES.filter((name) => {
    const only = manifestOf(name).provider;
    return only === undefined || only === provider;
  });
}
