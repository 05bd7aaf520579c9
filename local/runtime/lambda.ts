/**
 * Lambda: the synthesized bundles, each invocation run in an execution environment of its function
 * (lambda-environment.ts: a worker thread with the function's own environment, credentials, memory
 * and timeout). As on Lambda, an environment runs one invocation at a time and is reused while warm;
 * a function has at most `concurrency` environments (more when a Distributed Map runs it: map-widths.ts)
 * and further invocations wait for one (environment-pool.ts), and an invocation's timeout counts from
 * when it starts, not from when it was queued.
 *
 * What the Invoke API itself refuses (AWS's error names, https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html,
 * limits from https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) is a
 * `LambdaServiceError`: an unknown function, a request over 6 MB (synchronous) or 1 MB (asynchronous),
 * an injected throttle or service error. What the invocation ended with is a `FunctionError`: the
 * handler's error, a timeout, running out of memory, a response over 6 MB.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineClock } from './clock';
import { EnvironmentPool } from './environment-pool';
import type { FaultRates } from './fault-rates';
import { Environment, FunctionError } from './lambda-environment';
import { functionArn, physicalName } from './names';
import { type ResolveContext, resolve } from './resolve';
import { type Assembly, resourcesOfType } from './template';

export { FunctionError } from './lambda-environment';

export interface FunctionSpec {
  logicalId: string;
  name: string;
  /** The handler's name (functions/handlers/<name>.ts), from `Description: coproduce <name>`. */
  handlerName?: string;
  arn: string;
  /** The execution role's ARN (the template's `Role`). */
  roleArn?: string;
  file: string;
  exportName: string;
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** The template's Runtime (nodejs24.x): what AWS_EXECUTION_ENV names, as on Lambda. */
  runtime?: string;
}

export type LogFn = (line: string, level: 'info' | 'debug') => void;

/** Synchronous request and response (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
export const SYNC_REQUEST_LIMIT = 6_291_456;
export const SYNC_RESPONSE_LIMIT = 6_291_556;
export const ASYNC_REQUEST_LIMIT = 1_048_576;
/** How long an idle environment is kept warm. */
const KEEP_WARM_MS = 10 * 60_000;

export function functionSpecs(ctx: ResolveContext, assembly: Assembly): FunctionSpec[] {
  const specs: FunctionSpec[] = [];
  for (const [id, r] of resourcesOfType(assembly.template, 'AWS::Lambda::Function')) {
    const p = r.Properties ?? {};
    const code = p.Code as { S3Key?: unknown } | undefined;
    const dir = typeof code?.S3Key === 'string' ? assembly.assetPaths.get(code.S3Key) : undefined;
    const handler = typeof p.Handler === 'string' ? p.Handler : 'index.handler';
    if (!dir) continue; // inline or external code (CDK helper functions): not part of the app
    const dot = handler.lastIndexOf('.');
    const vars = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(vars)) env[k] = String(resolve(ctx, v, k));
    const name = physicalName(ctx, id);
    const handlerName = /^coproduce (\S+)$/.exec(String(p.Description ?? ''))?.[1];
    const role = p.Role === undefined ? undefined : String(resolve(ctx, p.Role));
    specs.push({
      logicalId: id,
      name,
      ...(handlerName ? { handlerName } : {}),
      arn: functionArn(name),
      ...(role ? { roleArn: role } : {}),
      file: join(dir, `${handler.slice(0, dot)}.js`),
      exportName: handler.slice(dot + 1),
      env,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
      ...(typeof p.Runtime === 'string' ? { runtime: p.Runtime } : {}),
    });
  }
  return specs;
}

/** An error of the Invoke call itself (not of the function): AWS's exception name and HTTP status. */
export class LambdaServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

export interface FunctionStats {
  initMs?: number;
  /** Invocations that started an environment (a cold start each). */
  coldStarts: number;
  invocations: number;
  errors: number;
}

/** Faults forced on a function's next invocations (POST /local/faults). */
export interface ForcedFaults {
  take(functionName: string): { error?: Error; delayMs?: number } | undefined;
}

export class LocalLambda {
  private readonly byKey = new Map<string, FunctionSpec>();
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly environments = new Map<string, Record<string, string>>();
  private closed = false;
  readonly stats = new Map<string, FunctionStats>();
  /** Faults to inject (POST /local/faults): an invocation that gets one fails with it. */
  faults?: ForcedFaults;
  /** LOCAL_FAULTS: throttles and service errors of the Invoke call. */
  rates?: FaultRates;
  /** The engine clock the functions' Date follows (without it they run on real time). */
  clock?: EngineClock;
  /** LOCAL_CPU_PROFILE: each environment writes a CPU profile here when it ends (bench/cpu-profiles.ts reads them). */
  cpuProfileDir?: string;
  /** How long an environment is kept warm once it is idle. */
  keepWarmMs = KEEP_WARM_MS;

  constructor(
    readonly functions: FunctionSpec[],
    /** Variables every function gets (region, endpoints), and the main process too. */
    common: Record<string, string>,
    private readonly log: LogFn = () => {},
    /** Debug lines (a REPORT per invocation) are printed; otherwise they are not even built. */
    private readonly verbose = false,
    /** Execution environments per function; more invocations wait for one. */
    concurrency = 8,
    /** Each function's own variables besides its template environment (its credentials). */
    own: (f: FunctionSpec) => Record<string, string> = () => ({}),
  ) {
    Object.assign(process.env, common);
    const appKeys = new Set(functions.flatMap((f) => Object.keys(f.env)));
    // The host's variables (PATH, TZ, POWERTOOLS_LOG_LEVEL...), but no credentials, and no variable of
    // the app that the function does not declare, as on Lambda.
    const host: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (
        v === undefined ||
        appKeys.has(k) ||
        /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(k)
      )
        continue;
      host[k] = v;
    }
    for (const f of functions) {
      for (const key of [f.name, f.arn, f.logicalId]) this.byKey.set(key, f);
      this.stats.set(f.name, { coldStarts: 0, invocations: 0, errors: 0 });
      this.pools.set(
        f.name,
        new EnvironmentPool(
          () => this.startEnvironment(f),
          concurrency,
          () => this.keepWarmMs,
        ),
      );
      this.environments.set(f.name, { ...host, ...own(f), ...f.env, ...lambdaEnv(f) });
    }
  }

  /** Adds variables every function gets (e.g. an endpoint known only after the functions were set up). */
  setCommon(vars: Record<string, string>): void {
    Object.assign(process.env, vars);
    for (const env of this.environments.values()) Object.assign(env, vars);
  }

  /**
   * Lets a function have `count` environments at once when that is more than it has (a function that a
   * Distributed Map runs in `count` children at once: map-widths.ts). False for an unknown function.
   */
  allowEnvironments(nameOrArn: string, count: number): boolean {
    const f = this.find(nameOrArn);
    const pool = f && this.pools.get(f.name);
    if (!pool) return false;
    pool.limit = Math.max(pool.limit, count);
    return true;
  }

  find(nameOrArn: string): FunctionSpec | undefined {
    // Qualified ARNs (…:function:name:$LATEST) and names both work, as with Lambda.
    const m = /^(arn:aws:lambda:[^:]+:\d+:function:[^:]+)(:.+)?$/.exec(nameOrArn);
    return this.byKey.get(m ? (m[1] as string) : nameOrArn);
  }

  /** The function's environments alive and the invocations waiting for one (for benchmarks). */
  environmentsOf(nameOrArn: string): { alive: number; waiting: number } | undefined {
    const f = this.find(nameOrArn);
    const pool = f && this.pools.get(f.name);
    return pool && { alive: pool.alive, waiting: pool.waiting };
  }

  /** Invokes the function (RequestResponse; `asynchronous`: as Lambda's event queue does). */
  async invoke(nameOrArn: string, payload: unknown, asynchronous = false): Promise<unknown> {
    const f = this.find(nameOrArn);
    if (!f)
      throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404);
    if (this.closed) throw new FunctionError('Runtime.Stopping', 'The local runtime is stopping');
    const event = payload === undefined ? 'null' : JSON.stringify(payload);
    const size = Buffer.byteLength(event);
    if (!asynchronous && size > SYNC_REQUEST_LIMIT)
      throw new LambdaServiceError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${SYNC_REQUEST_LIMIT} bytes for the InvokeFunction operation`,
        413,
      );
    if (asynchronous && size > ASYNC_REQUEST_LIMIT)
      throw new LambdaServiceError(
        'RequestEntityTooLargeException',
        `${size} byte payload is too large for the Event invocation type (limit ${ASYNC_REQUEST_LIMIT} bytes)`,
        413,
      );
    if (this.rates?.roll('lambda.throttle'))
      throw new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.', 429);
    if (this.rates?.roll('lambda.error'))
      throw new LambdaServiceError(
        'ServiceException',
        'The Lambda service encountered an internal error.',
        500,
      );
    const pool = this.pools.get(f.name) as EnvironmentPool;
    const used = await pool.acquire();
    try {
      return await this.run(f, used, event);
    } finally {
      pool.release(used.env, this.closed);
    }
  }

  /** A new execution environment of `f` (its Init phase starts at once). */
  private startEnvironment(f: FunctionSpec): Environment {
    return new Environment({
      file: f.file,
      exportName: f.exportName,
      functionName: f.name,
      functionArn: f.arn,
      memoryMb: f.memoryMb,
      env: this.environments.get(f.name) as Record<string, string>,
      sourceMaps: f.env.NODE_OPTIONS?.includes('--enable-source-maps') === true,
      ...(this.clock ? { clock: this.clock.buffer } : {}),
      ...(this.cpuProfileDir ? { cpuProfileDir: this.cpuProfileDir } : {}),
    });
  }

  private async run(
    f: FunctionSpec,
    used: { env: Environment; cold: boolean },
    event: string,
  ): Promise<unknown> {
    const stats = this.stats.get(f.name) as FunctionStats;
    const requestId = randomUUID();
    stats.invocations++;
    let initMs: number | undefined;
    let memoryMb = 0;
    let failed = false;
    const started = performance.now();
    try {
      if (used.cold) {
        stats.coldStarts++;
        initMs = await used.env.ready;
        stats.initMs = initMs;
      }
      const forced = this.faults?.take(f.name);
      if (forced?.error) throw forced.error;
      this.clock?.sync(); // a fast-forward may have just moved it
      const traceId = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${requestId.replace(/-/g, '').slice(0, 24)}`;
      const outcome = await used.env.invoke(requestId, event, f.timeoutSeconds, {
        traceId,
        ...(forced?.delayMs ? { delayMs: forced.delayMs } : {}),
      });
      memoryMb = outcome.memoryMb;
      if (Buffer.byteLength(outcome.json) > SYNC_RESPONSE_LIMIT)
        throw new FunctionError(
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${SYNC_RESPONSE_LIMIT} bytes).`,
        );
      return JSON.parse(outcome.json);
    } catch (e) {
      failed = true;
      stats.errors++;
      throw e;
    } finally {
      const ms = performance.now() - started - (initMs ?? 0);
      const level = initMs !== undefined || failed ? 'info' : 'debug';
      if (level === 'info' || this.verbose) {
        const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
        const line = `REPORT ${f.logicalId} RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: ${f.memoryMb} MB\tMax Memory Used: ${memoryMb} MB${init}${failed ? '\tStatus: error' : ''}`;
        this.log(line, level);
      }
    }
  }

  /**
   * Refuses new and queued invocations and waits (up to `ms`) for the running ones, so that nothing
   * calls the other local services after they stopped; then stops every environment.
   */
  async close(ms = 5000): Promise<void> {
    this.closed = true;
    const stopping = new FunctionError('Runtime.Stopping', 'The local runtime is stopping');
    for (const pool of this.pools.values()) pool.failWaiting(stopping);
    const end = Date.now() + ms;
    const busy = () => [...this.pools.values()].some((p) => p.busy);
    while (busy() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await Promise.all([...this.pools.values()].map((p) => p.stopIdle()));
  }
}

function lambdaEnv(f: FunctionSpec): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: f.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(f.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${f.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/${f.name}`,
    // The SDK puts it in every request's user agent; Lambda sets it from the function's runtime.
    ...(f.runtime ? { AWS_EXECUTION_ENV: `AWS_Lambda_${f.runtime}` } : {}),
    LAMBDA_TASK_ROOT: join(f.file, '..'),
    _HANDLER: `${f.file.split('/').pop()?.replace(/\.js$/, '')}.${f.exportName}`,
  };
}
