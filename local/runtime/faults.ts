/**
 * Faults for tests: the next N invocations of a function fail with a given error type, as a Lambda
 * function error (errorType/errorMessage), so a state machine sees it by that name (a name starting
 * with `Lambda.`, such as Lambda.TooManyRequestsException, is seen as that service error); or they
 * spend `delayMs` in the function first, as a slow dependency would (past the function's timeout,
 * Lambda stops it: Sandbox.Timedout). Functions are named by their handler name, which the template
 * carries as `Description: coproduce <name>`. (LOCAL_FAULTS, at rates, is fault-rates.ts.)
 *
 *   POST /local/faults  {"function": "open-step", "times": 2, "error"?: "Lambda.TooManyRequestsException",
 *                        "message"?: "...", "delayMs"?: 5000}   (an error, a delay, or both)
 *        -> 201 {"fault": {...}}; 400 for a malformed body, 404 for an unknown function
 *   GET  /local/faults  -> 200 {"faults": [{"function", "error", "message", "delayMs", "remaining"}]} (pending ones)
 *
 * Faults for one function are used up in the order they were added.
 */
import { FunctionError, type FunctionSpec } from './lambda';

export interface Fault {
  function: string;
  error?: string;
  message?: string;
  delayMs?: number;
  remaining: number;
}

export class FaultInputError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

const ERROR_TYPE = /^[A-Za-z][\w.:-]{0,127}$/;

export class Faults {
  /** Function name -> handler name. */
  private readonly handlerOf = new Map<string, string>();
  private readonly byHandler = new Map<string, string>();
  private pending: Fault[] = [];

  constructor(functions: FunctionSpec[]) {
    for (const f of functions) {
      if (!f.handlerName) continue;
      this.handlerOf.set(f.name, f.handlerName);
      this.byHandler.set(f.handlerName, f.name);
    }
  }

  add(input: unknown): Fault {
    const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const { function: fn, times, error, message, delayMs } = body;
    if (typeof fn !== 'string' || fn.length === 0)
      throw new FaultInputError(400, '"function" must be a handler name');
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 10_000)
      throw new FaultInputError(400, '"times" must be a whole number from 1 to 10000');
    if (error === undefined && delayMs === undefined)
      throw new FaultInputError(400, 'give "error" (an error type name), "delayMs", or both');
    if (error !== undefined && (typeof error !== 'string' || !ERROR_TYPE.test(error)))
      throw new FaultInputError(
        400,
        '"error" must be an error type name, e.g. Lambda.TooManyRequestsException',
      );
    if (
      delayMs !== undefined &&
      (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 1 || delayMs > 900_000)
    )
      throw new FaultInputError(400, '"delayMs" must be a whole number of milliseconds from 1 to 900000');
    if (message !== undefined && (typeof message !== 'string' || message.length > 1000))
      throw new FaultInputError(400, '"message" must be a string of at most 1000 characters');
    if (!this.byHandler.has(fn)) {
      const known = [...this.byHandler.keys()].sort().join(', ');
      throw new FaultInputError(404, `No function with handler name ${fn} (known: ${known})`);
    }
    const fault: Fault = {
      function: fn,
      ...(error === undefined ? {} : { error, message: message ?? `Injected fault: ${error}` }),
      ...(delayMs === undefined ? {} : { delayMs }),
      remaining: times,
    };
    this.pending.push(fault);
    return { ...fault };
  }

  list(): Fault[] {
    return this.pending.map((f) => ({ ...f }));
  }

  /** The error (and/or delay) the function's next invocation gets, if a fault is pending for it. */
  take(functionName: string): { error?: Error; delayMs?: number } | undefined {
    const handler = this.handlerOf.get(functionName);
    const fault = handler ? this.pending.find((f) => f.function === handler) : undefined;
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) this.pending = this.pending.filter((f) => f !== fault);
    return {
      ...(fault.error ? { error: new FunctionError(fault.error, fault.message ?? '') } : {}),
      ...(fault.delayMs ? { delayMs: fault.delayMs } : {}),
    };
  }
}
