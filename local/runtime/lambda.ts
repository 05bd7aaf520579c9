/**
 * Lambda: the synthesized bundles loaded in this process, one module instance per function,
 * invoked with a Lambda-shaped context and the function's resolved environment.
 *
 * Limitation: process.env is global. A function's variables are applied synchronously right
 * before its module is first required (handlers read their configuration at load) and again
 * right before each invocation. Code that reads a variable lazily, after an `await`, while
 * another function with a *different* value runs concurrently could see the other value; in
 * this stack all functions share the values of the variables they have in common.
 * Also unlike Lambda, concurrent invocations of one function share one module instance.
 *
 * On Lambda every invocation has its own CPU; here all share one event loop. So each function runs at
 * most `concurrency` invocations at a time and queues the rest, and an invocation's timeout counts from
 * when it starts, not from when it was queued: a burst (a round starting hundreds of cases, each opening
 * steps) then waits its turn instead of timing out behind work that was never its own.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { functionArn, physicalName } from './names';
import { type ResolveContext, resolve } from './resolve';
import { type Assembly, resourcesOfType } from './template';

export interface FunctionSpec {
  logicalId: string;
  name: string;
  /** The handler's name (functions/handlers/<name>.ts), from `Description: coproduce <name>`. */
  handlerName?: string;
  arn: string;
  file: string;
  exportName: string;
  env: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
}

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (err: unknown, res?: unknown) => void,
) => unknown;
export type LogFn = (line: string, level: 'info' | 'debug') => void;

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
    specs.push({
      logicalId: id,
      name,
      ...(handlerName ? { handlerName } : {}),
      arn: functionArn(name),
      file: join(dir, `${handler.slice(0, dot)}.js`),
      exportName: handler.slice(dot + 1),
      env,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
    });
  }
  return specs;
}

export class FunctionError extends Error {}

interface Slot {
  busy: number;
  queue: { ok: () => void; fail: (e: Error) => void }[];
}

export interface FunctionStats {
  initMs?: number;
  invocations: number;
  errors: number;
}

export class LocalLambda {
  private readonly byKey = new Map<string, FunctionSpec>();
  private readonly loaded = new Map<string, Handler>();
  private readonly base: Record<string, string | undefined>;
  private applied = new Set<string>();
  private readonly appKeys: Set<string>;
  private readonly slots = new Map<string, Slot>();
  private closed = false;
  readonly stats = new Map<string, FunctionStats>();
  /** Faults to inject (POST /local/faults): an invocation that gets one fails with it. */
  faults?: { take(functionName: string): Error | undefined };

  constructor(
    readonly functions: FunctionSpec[],
    /** Variables every function gets (region, credentials, endpoints). */
    common: Record<string, string>,
    private readonly log: LogFn = () => {},
    /** Debug lines (a REPORT per invocation) are printed; otherwise they are not even built. */
    private readonly verbose = false,
    /** Invocations of one function at a time; more wait for a slot. */
    private readonly concurrency = 8,
  ) {
    Object.assign(process.env, common);
    this.base = { ...process.env };
    this.appKeys = new Set(functions.flatMap((f) => Object.keys(f.env)));
    for (const f of functions) {
      for (const key of [f.name, f.arn, f.logicalId]) this.byKey.set(key, f);
      this.stats.set(f.name, { invocations: 0, errors: 0 });
      this.slots.set(f.name, { busy: 0, queue: [] });
    }
    if (functions.some((f) => f.env.NODE_OPTIONS?.includes('--enable-source-maps'))) {
      process.setSourceMapsEnabled(true);
    }
  }

  /** Adds variables every function gets (e.g. an endpoint known only after the functions were set up). */
  setCommon(vars: Record<string, string>): void {
    Object.assign(process.env, vars);
    Object.assign(this.base, vars);
  }

  find(nameOrArn: string): FunctionSpec | undefined {
    // Qualified ARNs (…:function:name:$LATEST) and names both work, as with Lambda.
    const m = /^(arn:aws:lambda:[^:]+:\d+:function:[^:]+)(:.+)?$/.exec(nameOrArn);
    return this.byKey.get(m ? (m[1] as string) : nameOrArn);
  }

  private applyEnv(f: FunctionSpec, extra: Record<string, string>): void {
    const vars = { ...f.env, ...extra };
    for (const key of new Set([...this.applied, ...this.appKeys])) {
      if (key in vars) continue;
      // A variable of the app that this function does not declare is absent, as on Lambda, even
      // when the shell that started the runtime happens to have it.
      if (this.base[key] === undefined || this.appKeys.has(key)) delete process.env[key];
      else process.env[key] = this.base[key];
    }
    Object.assign(process.env, vars);
    this.applied = new Set(Object.keys(vars));
  }

  private lambdaEnv(f: FunctionSpec): Record<string, string> {
    return {
      AWS_LAMBDA_FUNCTION_NAME: f.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(f.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${f.name}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    };
  }

  /** Loads (once) and returns the handler; the require is synchronous, so no other code sees this env. */
  private load(f: FunctionSpec): { handler: Handler; initMs?: number } {
    const cached = this.loaded.get(f.name);
    if (cached) return { handler: cached };
    this.applyEnv(f, this.lambdaEnv(f));
    const started = performance.now();
    const req = createRequire(f.file);
    delete req.cache[f.file];
    const mod = req(f.file) as Record<string, unknown>;
    delete req.cache[f.file]; // the next function with the same bundle gets its own instance
    const handler = mod[f.exportName];
    if (typeof handler !== 'function')
      throw new FunctionError(`${f.file} exports no function ${f.exportName}`);
    const initMs = performance.now() - started;
    this.loaded.set(f.name, handler as Handler);
    (this.stats.get(f.name) as FunctionStats).initMs = initMs;
    return { handler: handler as Handler, initMs };
  }

  async invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    const f = this.find(nameOrArn);
    if (!f)
      throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
        name: 'ResourceNotFoundException',
      });
    if (this.closed) throw new FunctionError('The local runtime is stopping');
    const slot = this.slots.get(f.name) as Slot;
    if (slot.busy < this.concurrency) slot.busy++;
    else await new Promise<void>((ok, fail) => slot.queue.push({ ok, fail })); // handed over by a finishing one
    try {
      return await this.run(f, payload);
    } finally {
      const next = slot.queue.shift();
      if (next) next.ok();
      else slot.busy--;
    }
  }

  /**
   * Refuses new and queued invocations and waits (up to `ms`) for the running ones, so that nothing
   * calls the other local services after they stopped. Call it after the engine stopped: a refusal
   * then reaches no journal.
   */
  async close(ms = 5000): Promise<void> {
    this.closed = true;
    const stopping = new FunctionError('The local runtime is stopping');
    for (const slot of this.slots.values()) {
      for (const waiting of slot.queue.splice(0)) waiting.fail(stopping); // never held a slot
    }
    const end = Date.now() + ms;
    while ([...this.slots.values()].some((s) => s.busy > 0) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 10));
  }

  private async run(f: FunctionSpec, payload: unknown): Promise<unknown> {
    const stats = this.stats.get(f.name) as FunctionStats;
    const { handler, initMs } = this.load(f);
    const requestId = randomUUID();
    const started = performance.now();
    const deadline = Date.now() + f.timeoutSeconds * 1000;
    const context = {
      functionName: f.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: f.arn,
      memoryLimitInMB: String(f.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${f.name}`,
      logStreamName: `local/${f.name}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    // Lambda hands the function a deserialized copy, and the caller a serialized result.
    const event = payload === undefined ? null : JSON.parse(JSON.stringify(payload));
    this.applyEnv(f, { ...this.lambdaEnv(f), _X_AMZN_TRACE_ID: `Root=1-${requestId.slice(0, 8)}` });
    stats.invocations++;
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    try {
      const injected = this.faults?.take(f.name);
      if (injected) throw injected;
      const run = new Promise<unknown>((ok, fail) => {
        const done = (err: unknown, res?: unknown) => (err ? fail(err) : ok(res));
        const out = handler.length >= 3 ? handler(event, context, done) : handler(event, context);
        if (out && typeof (out as Promise<unknown>).then === 'function')
          (out as Promise<unknown>).then(ok, fail);
        else if (handler.length < 3) ok(out);
      });
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(() => {
          const e = new Error(`Task timed out after ${f.timeoutSeconds.toFixed(2)} seconds`);
          fail(Object.assign(e, { name: 'Sandbox.Timedout' }));
        }, f.timeoutSeconds * 1000);
      });
      const result = await Promise.race([run, timeout]);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (e) {
      failed = true;
      stats.errors++;
      throw e;
    } finally {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const level = initMs !== undefined || failed ? 'info' : 'debug';
      // Built only when it will be printed: reading the RSS on every call costs measurable time.
      if (level === 'info' || this.verbose) {
        const mem = Math.round(process.memoryUsage.rss() / 2 ** 20);
        const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
        const line = `REPORT ${f.logicalId} RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\tMemory Size: ${f.memoryMb} MB\tMax Memory Used: ${mem} MB${init}${failed ? '\tStatus: error' : ''}`;
        this.log(line, level);
      }
    }
  }
}
