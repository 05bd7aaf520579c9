/**
 * The embedded default: DynamoDB, Step Functions, Lambda, S3, API Gateway, Secrets Manager, SNS,
 * EventBridge rules and the SMS providers emulated in one process, configured from the synthesized
 * template. `startRuntime` is used by `npm start`, the e2e tests and the local benchmarks alike.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AsyncLambda } from './async-invoke';
import { EngineClock } from './clock';
import { type LocalDynamo, partitionKeys, startDynamo, tableSpecs } from './dynamo';
import { gateDynamo } from './dynamo-gate';
import type { LocalEvents } from './events';
import { statusChangeEvent } from './execution-events';
import { FaultRates } from './fault-rates';
import { Faults } from './faults';
import { frontDoor } from './front-door';
import { issuerConfig, message, newRequestId, routeSpecs } from './gateway';
import { LocalIam } from './iam';
import { templatePolicies } from './iam-roles';
import { LocalIssuer } from './jwt';
import { functionSpecs, LocalLambda } from './lambda';
import { localRoutes } from './local-routes';
import { distributedMapWidths } from './map-widths';
import { messaging } from './messaging';
import { REGION } from './names';
import { LocalOAuth } from './oauth';
import { Outbox } from './outbox';
import type { ResolveContext } from './resolve';
import { bucketNames, type LocalS3, S3_CREDENTIALS, startS3 } from './s3';
import { LocalSecrets, secretSpecs } from './secrets';
import { type ServiceGuard, startServices } from './services';
import { type LocalEngine, startEngine, stateMachineSpecs } from './sfn';
import { gateSfn } from './sfn-gate';
import { maskedNumber, SmsApi } from './sms';
import { inboundSetup, LocalSmsInbound } from './sms-inbound';
import type { LocalSns } from './sns';
import { snsQueryHandler } from './sns-query';
import { startSweeps } from './sweeps';
import { loadAssembly } from './template';
import { TwilioApi, twilioAccount } from './twilio';
import { missingDependencies, unemulatedLines } from './unemulated';

export interface RuntimeOptions {
  cdkOut: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Console lines (REPORT lines, outbox, what is not emulated). Quiet when absent. */
  log?: (line: string) => void;
  /** Also log every invocation, not only cold starts and errors. */
  verbose?: boolean;
  sweepIntervalMs?: number;
  /** IAM enforcement from the template's policies. Default: on, unless LOCAL_IAM=off. */
  iam?: boolean;
  /** Transient faults at rates (LOCAL_FAULTS) and their seed (LOCAL_FAULTS_SEED). Default: from the environment. */
  faults?: { spec?: string; seed?: string };
  /**
   * A folder where every Lambda environment writes a V8 CPU profile when it ends (when the runtime
   * stops). Default: LOCAL_CPU_PROFILE. For finding where the functions' CPU goes (bench/cpu-profiles.ts).
   */
  cpuProfileDir?: string;
}

/**
 * Execution environments a function may have at once. On AWS each has its own CPU; here they share this
 * machine's cores with every emulated service, so more of them than one per core only add cold starts,
 * contention and isolates that each warm their own JIT: a burst (a round starting its cases) then
 * cold-starts many environments at once, and their first invocations, slowed by the others, can pass the
 * function's timeout where AWS would not come near it. Two per core cost bench:local 12-22% more CPU per
 * case than one (357/301 against 293/268 ms in alternating runs, 2 cores). Further invocations wait for
 * a free environment (not counted in their timeout). At least two, so that two invocations of a function
 * still run at once (the races that the exactly-once writes are tested against).
 * A function a Distributed Map runs gets as many as the map runs children at once (map-widths.ts): those
 * mostly wait, and the round's pacing counts on all of them running.
 */
const ENVIRONMENTS_PER_FUNCTION = Math.max(2, availableParallelism());

/** LOCAL_IAM: on (the default) or off. */
export function iamSetting(value = process.env.LOCAL_IAM): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`LOCAL_IAM must be on or off ('${value}')`);
}

export interface Runtime {
  url: string;
  port: number;
  dataDir: string;
  /** The local endpoint of Secrets Manager, SNS, End User Messaging SMS and the Twilio API. */
  servicesUrl: string;
  issuer: LocalIssuer;
  outbox: Outbox;
  engine: LocalEngine;
  dynamo: LocalDynamo;
  s3: LocalS3;
  lambda: LocalLambda;
  asyncLambda: AsyncLambda;
  secrets: LocalSecrets;
  sns: LocalSns;
  events: LocalEvents;
  inbound: LocalSmsInbound;
  faults: Faults;
  /** IAM as the template says it (LOCAL_IAM=off: `iam.enabled` is false). */
  iam: LocalIam;
  /** LOCAL_FAULTS. */
  rates: FaultRates;
  /** Fast-forwards the engine clock, runs the retries that became due, then sweeps expired items. */
  advance(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok((server.address() as AddressInfo).port));
  });

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolvePath(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => {});
  mkdirSync(dataDir, { recursive: true });
  const assembly = loadAssembly(options.cdkOut);
  for (const line of unemulatedLines(assembly.template)) log(line);
  const isApp = (id: string) => {
    const key = (assembly.template.Resources[id]?.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
    return typeof key === 'string' && assembly.assetPaths.has(key);
  };
  const missing = missingDependencies(assembly.template, isApp);
  if (missing.length > 0)
    throw new Error(`The local runtime cannot run this template:\n  ${missing.join('\n  ')}`);
  const iamOn = options.iam ?? iamSetting();
  const rates = FaultRates.parse(
    options.faults?.spec ?? process.env.LOCAL_FAULTS,
    options.faults?.seed ?? process.env.LOCAL_FAULTS_SEED,
  );

  // One clock for the engine, the functions and every emulation that judges a time (clock.ts).
  const clock = new EngineClock();
  const now = () => clock.now();
  // The gateway listens first: its URL is part of the functions' environment (PUBLIC_URL).
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown> = async (_q, res) => {
    res.writeHead(503).end();
  };
  const gateway = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      log(`gateway error: ${e.stack ?? e.message}`);
      if (!res.headersSent) message(res, 500, 'Internal Server Error', newRequestId());
    });
  });
  clock.stamp(gateway);
  const port = await listen(gateway, options.port, host);
  const url = `http://${host}:${port}`;
  const services = await startServices(log, clock);

  let secrets: LocalSecrets | undefined;
  const ctx: ResolveContext = {
    template: assembly.template,
    stackName: assembly.stackName,
    apiUrl: url,
    twilioApiUrl: services.url,
    dynamicReference: (reference, name) => (secrets as LocalSecrets).dynamicReference(reference, name),
  };
  secrets = new LocalSecrets(dataDir, secretSpecs(ctx));
  const iam = new LocalIam(templatePolicies(ctx), iamOn, log);
  iam.now = now;
  for (const line of [...iam.startLines(), ...rates.startLines()]) log(line);
  const guard: ServiceGuard = { iam, rates };
  const tables = tableSpecs(ctx);
  const keys = partitionKeys(tables);
  const [dynamo, s3] = await Promise.all([
    startDynamo(
      join(dataDir, 'dynamodb'),
      tables,
      (req, body, housekeeping) => gateDynamo({ iam, rates, keys }, req.headers, body, housekeeping),
      clock,
    ),
    startS3(
      join(dataDir, 's3'),
      bucketNames(ctx),
      host,
      () => ({ ...(iam.enabled ? { iam } : {}), keyPairs: () => iam.keyPairs() }),
      clock,
    ),
  ]);
  if (dynamo.upgraded) {
    const { moved, conflicts } = dynamo.upgraded;
    log(`data folder upgraded: ${moved} step items moved to their new keys`);
    for (const { pk, sk } of conflicts)
      log(`left alone: ${pk} ${sk} (a different item is under its new key)`);
  }

  // The number masked: what the runtime prints is a log, and logs hold no personal data.
  const outbox = new Outbox(join(dataDir, 'outbox.jsonl'), now, (m) =>
    log(`SMS to ${maskedNumber(m.to)} (${m.provider}): ${m.body}`),
  );

  // Never let real credentials or profiles reach the functions.
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'])
    delete process.env[k];
  const common: Record<string, string> = {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    // s3rver insists on its own credentials; the other local services take any.
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: services.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: services.url,
    AWS_ENDPOINT_URL_SNS: services.url,
  };
  const functions = functionSpecs(ctx, assembly);
  // The sign-in settings point at the local sign-in before the functions' environments are made.
  const routes = routeSpecs(ctx);
  const issuer = LocalIssuer.open(dataDir, issuerConfig(routes));
  issuer.now = now;
  writeFileSync(join(dataDir, 'issuer.json'), JSON.stringify(issuer.config, null, 2));
  const oauth = new LocalOAuth(issuer, dataDir, url);
  oauth.configure(functions);
  if (iam.enabled) {
    const unknown = functions.filter((f) => !f.roleArn || !iam.knowsRole(f.roleArn));
    if (unknown.length > 0)
      throw new Error(
        `IAM: ${unknown.map((f) => `${f.logicalId} (role ${f.roleArn ?? 'none'})`).join(', ')}: no execution role in the template, so its permissions are unknown (LOCAL_IAM=off runs it unchecked)`,
      );
  }
  const lambda = new LocalLambda(
    functions,
    common,
    (line, level) => {
      if (level === 'info' || options.verbose) log(line);
    },
    options.verbose,
    ENVIRONMENTS_PER_FUNCTION,
    (f) => {
      const c = iam.credentialsFor(`function ${f.handlerName ?? f.name}`, f.name, f.roleArn);
      return {
        AWS_ACCESS_KEY_ID: c.accessKeyId,
        AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
        AWS_SESSION_TOKEN: c.sessionToken,
      };
    },
  );
  const machines = stateMachineSpecs(ctx);
  for (const [name, width] of distributedMapWidths(machines.map((m) => m.definition)))
    lambda.allowEnvironments(name, width);
  const faults = new Faults(functions);
  lambda.faults = faults;
  lambda.rates = rates;
  lambda.clock = clock;
  const cpuProfileDir = options.cpuProfileDir ?? process.env.LOCAL_CPU_PROFILE;
  if (cpuProfileDir) lambda.cpuProfileDir = cpuProfileDir;

  const { scheduler, asyncLambda, sns, events } = messaging({ ctx, functions, lambda, now, log });
  const twilio = twilioAccount(functions);
  const twilioApi = new TwilioApi(twilio, () => (secrets as LocalSecrets).twilioToken(), outbox, now);
  const smsApi = new SmsApi(outbox);
  for (const part of [smsApi, secrets, twilioApi]) part.guard = guard;
  for (const handler of [smsApi.handle, secrets.handle, snsQueryHandler(sns, guard), twilioApi.handle])
    services.use(handler);

  // The state machines' DynamoDB integrations make one attempt: a throttle reaches the state's Retry.
  // Each kind of command resolves its middleware once (as the functions' clients do, clients.ts).
  const integrations = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    cacheMiddleware: true,
  });
  const running = await startEngine({
    dir: join(dataDir, 'sfn'),
    machines,
    invoke: (arn, payload) => lambda.invoke(arn, payload),
    dynamodb: integrations,
    s3,
    ...(iam.enabled ? { authorize: iam.authorizeIntegration } : {}),
    gate: (req, body) => gateSfn({ iam, rates }, req.headers, body),
    log,
    clock,
  });
  process.env.AWS_ENDPOINT_URL_SFN = running.endpoint;
  lambda.setCommon({ AWS_ENDPOINT_URL_SFN: running.endpoint });
  running.onStatusChange((change) => events.put(statusChangeEvent(change, now())).delivered);

  const inbound = new LocalSmsInbound(inboundSetup({ functions, routes, sns, outbox, url, twilio, secrets }));

  const sweeps = startSweeps(dynamo, () => running.now(), log, options.sweepIntervalMs);

  const advance = async (seconds: number) => {
    await running.advance(seconds);
    scheduler.runDue();
    await asyncLambda.idle();
    await sweeps.sweepAll();
  };

  handle = frontDoor({
    routes,
    issuer,
    oauth,
    lambda,
    inbound,
    local: localRoutes({ outbox, inbound, faults, rates, now, advance }),
    log,
    now,
  });

  const close = (s: Server) =>
    new Promise<void>((ok) => {
      s.close(() => ok());
      s.closeAllConnections();
    });

  return {
    url,
    port,
    dataDir,
    servicesUrl: services.url,
    issuer,
    outbox,
    engine: running,
    dynamo,
    s3,
    lambda,
    asyncLambda,
    secrets,
    sns,
    events,
    inbound,
    faults,
    iam,
    rates,
    advance,
    async stop() {
      // A sweep that runs finishes first: it reads and deletes through DynamoDB.
      await sweeps.stop();
      await close(gateway);
      await running.stop();
      scheduler.stop();
      await lambda.close();
      await services.stop();
      integrations.destroy();
      await s3.stop();
      await dynamo.stop();
    },
  };
}
