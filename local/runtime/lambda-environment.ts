/**
 * One Lambda execution environment: a worker thread (lambda-worker.js) that runs one invocation at
 * a time, with the function's environment, a heap limited as Lambda's (lambdaHeapLimits),
 * and a timeout that really stops it. What AWS reports when it goes wrong:
 * - past the timeout the environment is stopped: `Sandbox.Timedout`, "RequestId: <id> Error: Task
 *   timed out after <timeout>.00 seconds";
 * - past its memory: `Runtime.OutOfMemory`, "RequestId: <id> Error: Runtime exited with error: signal: killed";
 * - the runtime exiting otherwise (an uncaught exception): `Runtime.ExitError`.
 * Either way the environment is gone and the next invocation starts a new one (a cold start).
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const WORKER = join(__dirname, 'lambda-worker.js');

/**
 * Young generation of a local environment at most: three semi-spaces of 8 MB, what Node 20 itself picks
 * for a process limited to 2 GB (nodejs/node#55487). Lambda's bootstrap gives a 512 MB function three
 * of 25 MB, which V8 rounds up to 32 MB.
 */
export const LOCAL_YOUNG_GENERATION_MB = 24;

/**
 * The V8 heap of a function of `memoryMb`. The old space, which holds what a function keeps and
 * where it runs out of memory, is what the Lambda Node.js runtime's bootstrap gives it
 * (`--max-old-space-size`): the memory less the tenth it sets aside for new objects. A heap that
 * outgrows it fails here where it fails on AWS, a little before the memory size itself.
 *
 * The young generation (Lambda's: that tenth, as three semi-spaces of half of it,
 * `--max-semi-space-size`) is capped at LOCAL_YOUNG_GENERATION_MB. Its size sets how often V8
 * collects short-lived objects, not how much a function can keep, so it does not move the point
 * where a function fails. On AWS each environment has a machine of its own; here all share one,
 * and each grew its new space to Lambda's size: at that size the 23 environments of a
 * `bench:round` of 5,000 rows peaked at 1,446-1,512 MB RSS, capped at 1,094-1,112 MB, starting
 * 48.0-48.2 cases/s before and 51.3-52.4 after.
 */
export function lambdaHeapLimits(memoryMb: number): {
  maxYoungGenerationSizeMb: number;
  maxOldGenerationSizeMb: number;
} {
  const newSpace = Math.floor(memoryMb / 10);
  return {
    maxYoungGenerationSizeMb: Math.min(3 * Math.floor(newSpace / 2), LOCAL_YOUNG_GENERATION_MB),
    maxOldGenerationSizeMb: memoryMb - newSpace,
  };
}

export interface EnvironmentSetup {
  file: string;
  exportName: string;
  functionName: string;
  functionArn: string;
  memoryMb: number;
  env: Record<string, string>;
  sourceMaps: boolean;
  /** The engine clock's shared offset (clock.ts); the worker's Date follows it. */
  clock?: SharedArrayBuffer;
  /** LOCAL_CPU_PROFILE: the environment writes a V8 CPU profile of its life here when it ends. */
  cpuProfileDir?: string;
}

export interface InvocationOutcome {
  json: string;
  memoryMb: number;
}

/** An error the function's invocation ended with, as Lambda reports it (errorType, errorMessage, trace). */
export class FunctionError extends Error {
  constructor(errorType: string, message: string, trace?: string[]) {
    super(message);
    this.name = errorType;
    // Only what the function's runtime saw: not this process's frames.
    this.stack = trace?.join('\n') ?? `${errorType}: ${message}`;
  }
}

interface Pending {
  requestId: string;
  ok: (outcome: InvocationOutcome) => void;
  fail: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface WorkerError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export class Environment {
  /** Resolves with the Init Duration once the bundle is loaded; rejects with the init error. */
  readonly ready: Promise<number>;
  private readonly worker: Worker;
  private pending: Pending | undefined;
  private gone = false;

  constructor(setup: EnvironmentSetup) {
    this.worker = new Worker(WORKER, {
      workerData: {
        file: setup.file,
        exportName: setup.exportName,
        functionName: setup.functionName,
        functionArn: setup.functionArn,
        memoryMb: setup.memoryMb,
        sourceMaps: setup.sourceMaps,
        ...(setup.clock ? { clock: setup.clock } : {}),
      },
      env: setup.env,
      // Not the runtime's own loader flags (tsx): the bundle is plain JavaScript, as on Lambda.
      execArgv: setup.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${setup.cpuProfileDir}`] : [],
      resourceLimits: lambdaHeapLimits(setup.memoryMb),
    });
    this.worker.unref();
    this.ready = new Promise((ok, fail) => {
      const first = (m: { type: string; initMs?: number; error?: WorkerError }) => {
        if (m.type === 'ready') ok(m.initMs ?? 0);
        else if (m.type === 'init-error') {
          const e = m.error as WorkerError;
          fail(new FunctionError(e.errorType, e.errorMessage, e.trace));
          void this.stop();
        }
      };
      this.worker.once('message', first);
      this.worker.once('error', (e) => fail(this.crash(e, 'init')));
      this.worker.once('exit', (code) =>
        fail(new FunctionError('Runtime.ExitError', `Runtime exited with error: exit status ${code}`)),
      );
    });
    this.ready.catch(() => {}); // seen by whoever waits for it
    this.worker.on(
      'message',
      (m: { type: string; requestId?: string; json?: string; error?: WorkerError; memoryMb?: number }) => {
        const p = this.pending;
        if (!p || m.requestId !== p.requestId) return;
        this.settle();
        if (m.type === 'result') p.ok({ json: m.json ?? 'null', memoryMb: m.memoryMb ?? 0 });
        else if (m.type === 'error') {
          const e = m.error as WorkerError;
          p.fail(new FunctionError(e.errorType, e.errorMessage, e.trace));
        }
      },
    );
    this.worker.on('error', (e) => {
      const p = this.pending;
      this.settle();
      p?.fail(this.crash(e, p.requestId));
    });
    this.worker.on('exit', (code) => {
      this.gone = true;
      const p = this.pending;
      this.settle();
      p?.fail(
        new FunctionError(
          'Runtime.ExitError',
          `RequestId: ${p.requestId} Error: Runtime exited with error: exit status ${code}`,
        ),
      );
    });
  }

  get alive(): boolean {
    return !this.gone;
  }

  private settle(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private crash(e: Error & { code?: string }, requestId: string): FunctionError {
    this.gone = true;
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
      return new FunctionError(
        'Runtime.OutOfMemory',
        `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      );
    return new FunctionError(e.name || 'Runtime.ExitError', e.message, String(e.stack ?? '').split('\n'));
  }

  /** Runs one invocation; `event` is the JSON text Lambda hands the runtime. */
  invoke(
    requestId: string,
    event: string,
    timeoutSeconds: number,
    options: { traceId: string; delayMs?: number },
  ): Promise<InvocationOutcome> {
    if (this.gone || this.pending) return Promise.reject(new Error('environment not available'));
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.settle();
        this.gone = true;
        void this.worker.terminate();
        const seconds = timeoutSeconds.toFixed(2);
        fail(
          new FunctionError(
            'Sandbox.Timedout',
            `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
          ),
        );
      }, timeoutSeconds * 1000);
      this.pending = { requestId, ok, fail, timer };
      const deadline = Date.now() + timeoutSeconds * 1000;
      this.worker.postMessage({ type: 'invoke', requestId, event, deadline, ...options });
    });
  }

  async stop(): Promise<void> {
    this.gone = true;
    await this.worker.terminate();
  }
}
