/**
 * The embedded default: DynamoDB, Step Functions, Lambda, S3 and API Gateway emulated in one process,
 * configured from the synthesized template. `startRuntime` is used by `npm start`, the e2e tests
 * and the local benchmark alike.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve as resolvePath } from 'node:path';
import { type LocalDynamo, startDynamo, tableSpecs } from './dynamo';
import {
  authorize,
  issuerConfig,
  match,
  message,
  newRequestId,
  routeSpecs,
  toEvent,
  writeResult,
} from './gateway';
import { LocalIssuer } from './jwt';
import { functionSpecs, LocalLambda } from './lambda';
import { LocalOAuth, OAUTH_PREFIX } from './oauth';
import { REGION, type ResolveContext } from './resolve';
import { bucketNames, type LocalS3, S3_CREDENTIALS, startS3 } from './s3';
import { localSecrets } from './secrets';
import { type LocalEngine, startEngine, stateMachineSpecs } from './sfn';
import { Outbox, readBody } from './sms';
import { loadAssembly } from './template';

export interface RuntimeOptions {
  cdkOut: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Console lines (REPORT lines, outbox). Quiet when absent. */
  log?: (line: string) => void;
  /** Also log every invocation, not only cold starts and errors. */
  verbose?: boolean;
  sweepIntervalMs?: number;
}

export interface Runtime {
  url: string;
  port: number;
  dataDir: string;
  issuer: LocalIssuer;
  outbox: Outbox;
  engine: LocalEngine;
  dynamo: LocalDynamo;
  s3: LocalS3;
  lambda: LocalLambda;
  /** Fast-forwards the engine clock, then sweeps expired items. */
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
  const port = await listen(gateway, options.port, host);
  const url = `http://${host}:${port}`;

  const ctx: ResolveContext = {
    template: assembly.template,
    stackName: assembly.stackName,
    apiUrl: url,
    dynamicReference: localSecrets(dataDir),
  };
  const [dynamo, s3] = await Promise.all([
    startDynamo(join(dataDir, 'dynamodb'), tableSpecs(ctx)),
    startS3(join(dataDir, 's3'), bucketNames(ctx), host),
  ]);

  let engine: LocalEngine | undefined;
  const now = () => engine?.now() ?? Date.now();
  const outbox = new Outbox(join(dataDir, 'outbox.jsonl'), now, (m) => log(`SMS to ${m.to}: ${m.body}`));
  const aws = createServer(async (req, res) => {
    const body = (await readBody(req))?.toString('utf8') ?? '';
    const target = String(req.headers['x-amz-target'] ?? '');
    if (outbox.handle(target, body, res)) return;
    res
      .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
      .end(JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown target ${target}` }));
  });
  const awsUrl = `http://127.0.0.1:${await listen(aws, 0, '127.0.0.1')}`;

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
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: awsUrl,
  };
  const lambda = new LocalLambda(
    functionSpecs(ctx, assembly),
    common,
    (line, level) => {
      if (level === 'info' || options.verbose) log(line);
    },
    options.verbose,
  );
  engine = await startEngine({
    dir: join(dataDir, 'sfn'),
    machines: stateMachineSpecs(ctx),
    invoke: (arn, payload) => lambda.invoke(arn, payload),
    dynamodb: dynamo.client,
    s3,
    log,
  });
  process.env.AWS_ENDPOINT_URL_SFN = engine.endpoint;
  lambda.setCommon({ AWS_ENDPOINT_URL_SFN: engine.endpoint });
  const running = engine;

  const routes = routeSpecs(ctx);
  const issuer = LocalIssuer.open(dataDir, issuerConfig(routes));
  writeFileSync(join(dataDir, 'issuer.json'), JSON.stringify(issuer.config, null, 2));
  const oauth = new LocalOAuth(issuer, dataDir, url);
  oauth.configure(lambda.functions);

  const sweep = async () => {
    const n = await dynamo.sweep(running.now());
    if (n > 0) log(`TTL sweeper: deleted ${n} expired item(s)`);
  };
  let sweeping = Promise.resolve();
  const sweepSoon = () => {
    sweeping = sweeping.then(sweep).catch((e: Error) => log(`TTL sweeper failed: ${e.message}`));
    return sweeping;
  };
  const sweeper = setInterval(sweepSoon, options.sweepIntervalMs ?? 60_000);
  sweeper.unref();

  const advance = async (seconds: number) => {
    await running.advance(seconds);
    await sweepSoon();
  };

  handle = async (req, res) => {
    const requestId = newRequestId();
    const path = (req.url ?? '/').split('?')[0] as string;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body === undefined) return message(res, 413, 'Request Entity Too Large', requestId);
    if (path.startsWith(`${OAUTH_PREFIX}/`)) return oauth.handle(req, body, res);
    if (path.startsWith('/local/')) return localRoute(method, path, body, res, requestId);
    const found = match(routes, method, path);
    if (!found) return message(res, 404, 'Not Found', requestId);
    let claims: ReturnType<typeof authorize>;
    if (found.route.jwt) {
      claims = authorize(req, found.route, issuer);
      if (!claims) return message(res, 401, 'Unauthorized', requestId);
    }
    const event = toEvent(req, body, found.route, found.pathParameters, requestId, claims);
    let result: unknown;
    try {
      result = await lambda.invoke(found.route.functionArn, event);
    } catch (e) {
      log(`${found.route.routeKey}: function error: ${(e as Error).stack ?? String(e)}`);
      return message(res, 500, 'Internal Server Error', requestId);
    }
    writeResult(res, result, requestId);
  };

  async function localRoute(
    method: string,
    path: string,
    body: Buffer,
    res: ServerResponse,
    requestId: string,
  ) {
    const send = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path === '/local/outbox' && method === 'GET') return send(200, { messages: outbox.list() });
    if (path === '/local/clock' && method === 'GET')
      return send(200, { now: new Date(running.now()).toISOString() });
    if (path === '/local/clock' && method === 'POST') {
      let seconds: unknown;
      try {
        seconds = (JSON.parse(body.toString('utf8') || '{}') as { advanceSeconds?: unknown }).advanceSeconds;
      } catch {
        seconds = undefined;
      }
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        return send(400, {
          error: { code: 'VALIDATION', message: 'Body must be { "advanceSeconds": <number >= 0> }.' },
        });
      }
      await advance(seconds);
      return send(200, { now: new Date(running.now()).toISOString() });
    }
    return message(res, 404, 'Not Found', requestId);
  }

  const close = (s: Server) =>
    new Promise<void>((ok) => {
      s.close(() => ok());
      s.closeAllConnections();
    });

  return {
    url,
    port,
    dataDir,
    issuer,
    outbox,
    engine: running,
    dynamo,
    s3,
    lambda,
    advance,
    async stop() {
      clearInterval(sweeper);
      await close(gateway);
      await running.stop();
      await lambda.close();
      await sweeping;
      await close(aws);
      await s3.stop();
      await dynamo.stop();
    },
  };
}
