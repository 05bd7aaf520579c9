import type { BundleCalls } from './bundle-calls';

// Compares what a function's code can call (bundle-calls.ts) with what its role may do in the
// synthesized template: every (action, resource) the code needs must be granted, and every grant must
// be needed by the code or by the platform (its log group, X-Ray, its on-failure queue).

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
export type Resources = Record<string, Resource>;

/** An intrinsic as text: `<Id>` for a Ref (`<AWS::Region>` for a pseudo parameter), `<Id.Attr>` for a GetAtt. */
export function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  const obj = value as Record<string, Json>;
  if (obj && 'Ref' in obj) return `<${String(obj.Ref)}>`;
  if (obj && 'Fn::GetAtt' in obj) return `<${(obj['Fn::GetAtt'] as string[]).join('.')}>`;
  if (obj && 'Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(sep);
  }
  return JSON.stringify(value);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every (action, resource) the policies attached to the function's role allow. */
export function grantsOf(resources: Resources, functionId: string): Set<string> {
  const fn = resources[functionId];
  if (!fn?.Properties) throw new Error(`no function ${functionId}`);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const pairs = new Set<string>();
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    if (!asList(r.Properties?.Roles as Json[]).some((x) => render(x) === `<${role}>`)) continue;
    const doc = r.Properties?.PolicyDocument as {
      Statement: { Effect: string; Action: Json; Resource: Json }[];
    };
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') throw new Error(`${functionId}: unexpected ${s.Effect} statement`);
      for (const action of asList(s.Action as string | string[]))
        for (const resource of asList(s.Resource)) pairs.add(`${action} ${render(resource)}`);
    }
  }
  return pairs;
}

const region = '<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';

/** The grants the platform gives every function: its own log group, X-Ray, its on-failure queue. */
function platformGrants(resources: Resources, functionId: string, logGroup: string): Set<string> {
  const pairs = new Set([
    `logs:CreateLogStream ${logGroup}`,
    `logs:PutLogEvents ${logGroup}`,
    'xray:PutTraceSegments *',
    'xray:PutTelemetryRecords *',
  ]);
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    if (render(r.Properties?.FunctionName) !== `<${functionId}>`) continue;
    const config = r.Properties?.DestinationConfig as { OnFailure?: { Destination: Json } } | undefined;
    const queue = config?.OnFailure?.Destination;
    if (queue === undefined) continue;
    for (const action of ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'])
      pairs.add(`${action} ${render(queue)}`);
  }
  return pairs;
}

export interface Comparison {
  readonly missing: string[];
  readonly unused: string[];
}

/** Needed (from the code and the function's environment) against granted, for one function. */
export function compare(calls: BundleCalls, resources: Resources, functionId: string): Comparison {
  const fn = resources[functionId]?.Properties ?? {};
  const env = ((fn.Environment as { Variables?: Record<string, Json> })?.Variables ?? {}) as Record<
    string,
    Json
  >;
  const logGroup = render((fn.LoggingConfig as { LogGroup: Json }).LogGroup).replace(/>$/, '.Arn>');
  const reads = (name: string) => calls.names.has(name) && env[name] !== undefined;
  const needed = new Map<string, string>(); // pair -> where the code needs it
  const need = (action: string, resource: string) =>
    needed.set(`${action} ${resource}`, [...(calls.actions.get(action) ?? [])].join(', '));

  const machines = Object.values(resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const machineNames = (round: boolean) =>
    machines.map((m) => String(m.Properties?.StateMachineName)).filter((n) => n.endsWith('-round') === round);
  // The machines the code addresses: by the variables it reads; execution ARNs arriving in events
  // (case-failed) belong to the service machines.
  const addressed = [
    ...(reads('STATE_MACHINE_ARNS') || !reads('ROUND_STATE_MACHINE_ARN') ? machineNames(false) : []),
    ...(reads('ROUND_STATE_MACHINE_ARN') ? machineNames(true) : []),
  ];
  const table = reads('TABLE_NAME') ? render(env.TABLE_NAME).replace(/>$/, '.Arn>') : '<no TABLE_NAME>';
  const bucket = reads('ROUND_BUCKET')
    ? render(env.ROUND_BUCKET).replace(/>$/, '.Arn>')
    : '<no ROUND_BUCKET>';
  const s3Objects = new Set<string>();

  for (const action of calls.actions.keys()) {
    const [service] = action.split(':');
    if (service === 'dynamodb') {
      if (action !== 'dynamodb:Query' || calls.tableQuery) need(action, table);
      if (action === 'dynamodb:Query')
        for (const index of calls.indexes) need(action, `${table}/index/${index}`);
    } else if (action === 'states:StartExecution') {
      for (const name of addressed) need(action, `arn:${region}:stateMachine:${name}`);
    } else if (/^states:(Describe|Stop|Redrive)Execution$/.test(action)) {
      for (const name of addressed) need(action, `arn:${region}:execution:${name}:*`);
    } else if (/^states:SendTask(Success|Failure|Heartbeat)$/.test(action)) {
      need(action, '*'); // no resource-level permissions
    } else if (service === 'sms-voice') {
      // A function configured for Twilio carries the End User Messaging adapter but never calls it.
      if (env.SMS_PROVIDER !== 'twilio') needed.set(`${action} <origination identity>`, '');
    } else if (action === 'secretsmanager:GetSecretValue') {
      for (const name of calls.names)
        if (name.endsWith('_SECRET_ARN') && reads(name)) need(action, render(env[name]));
    } else if (action === 's3:ListBucket') {
      need(action, bucket);
    } else if (service === 's3') {
      s3Objects.add(action); // which round files: the manifest says; here, objects of the round bucket
    } else {
      needed.set(`${action} <no rule for this service in role-grants.ts>`, '');
    }
  }

  const granted = grantsOf(resources, functionId);
  const platform = platformGrants(resources, functionId, logGroup);
  const identity = [...granted].filter((g) => g.startsWith('sms-voice:'));
  const missing: string[] = [];
  for (const [pair, where] of needed) {
    if (pair.endsWith(' <origination identity>')) {
      if (!identity.some((g) => g.startsWith(pair.split(' ')[0] as string)))
        missing.push(`${pair} (${where})`);
    } else if (!granted.has(pair)) missing.push(where ? `${pair} (${where})` : pair);
  }
  for (const action of s3Objects) {
    if (![...granted].some((g) => g.startsWith(`${action} ${bucket}/rounds/`)))
      missing.push(`${action} ${bucket}/rounds/... (${[...(calls.actions.get(action) ?? [])].join(', ')})`);
  }
  const unused = [...granted].filter((pair) => {
    if (needed.has(pair) || platform.has(pair)) return false;
    const [action, resource] = pair.split(' ') as [string, string];
    if (needed.has(`${action} <origination identity>`)) return false;
    return !(s3Objects.has(action) && resource.startsWith(`${bucket}/rounds/`));
  });
  return { missing: missing.sort(), unused: unused.sort() };
}
