/**
 * One function's execution environments (lambda.ts runs the invocations in them). As on Lambda, an
 * idle environment is reused while warm, the most recently used first; a new one starts while the
 * function has fewer than its limit; further invocations wait for one. An environment idle for
 * `keepWarmMs` since its last invocation is given up.
 */
import type { Environment } from './lambda-environment';

interface Waiter {
  /** An environment handed over, or undefined: one was given up, so the waiter may start a new one. */
  ok: (env: Environment | undefined) => void;
  fail: (error: Error) => void;
}

export class EnvironmentPool {
  private readonly idle: Environment[] = [];
  /** When each idle environment is given up; cleared when it is used again. */
  private readonly reclaims = new Map<Environment, NodeJS.Timeout>();
  private readonly queue: Waiter[] = [];
  /** Environments alive: running an invocation, starting, or idle. */
  alive = 0;

  constructor(
    /** Starts a new environment of the function. */
    private readonly start: () => Environment,
    /** Environments the function may have at once. */
    public limit: number,
    private readonly keepWarmMs: () => number,
  ) {}

  /** Invocations waiting for an environment. */
  get waiting(): number {
    return this.queue.length;
  }

  /** An invocation is running (or an environment starting). */
  get busy(): boolean {
    return this.alive > this.idle.length;
  }

  /** A warm environment, or a new one while the function has fewer than its limit; else waits. */
  async acquire(): Promise<{ env: Environment; cold: boolean }> {
    for (;;) {
      const warm = this.idle.pop();
      if (warm) {
        clearTimeout(this.reclaims.get(warm));
        this.reclaims.delete(warm);
        if (warm.alive) return { env: warm, cold: false };
        continue;
      }
      if (this.alive < this.limit) {
        this.alive++;
        return { env: this.start(), cold: true };
      }
      const handed = await new Promise<Environment | undefined>((ok, fail) => this.queue.push({ ok, fail }));
      if (handed) return { env: handed, cold: false };
    }
  }

  /** After an invocation: to the next waiter, else idle. `stopping`: the runtime closes, so it stops. */
  release(env: Environment, stopping: boolean): void {
    if (!env.alive || stopping) {
      this.alive--;
      if (stopping) void env.stop();
      this.queue.shift()?.ok(undefined);
      return;
    }
    const next = this.queue.shift();
    if (next) {
      next.ok(env);
      return;
    }
    this.idle.push(env);
    // Idle for keepWarmMs since this invocation, not since its first: the timer goes when it is used again.
    const timer = setTimeout(() => {
      this.reclaims.delete(env);
      const at = this.idle.indexOf(env);
      if (at < 0) return;
      this.idle.splice(at, 1);
      this.alive--;
      void env.stop();
    }, this.keepWarmMs());
    timer.unref();
    this.reclaims.set(env, timer);
  }

  /** Fails every invocation waiting for an environment. */
  failWaiting(error: Error): void {
    for (const waiter of this.queue.splice(0)) waiter.fail(error);
  }

  /** Stops every idle environment. */
  async stopIdle(): Promise<void> {
    for (const timer of this.reclaims.values()) clearTimeout(timer);
    this.reclaims.clear();
    await Promise.all(this.idle.splice(0).map((env) => env.stop()));
  }
}
