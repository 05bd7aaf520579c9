/**
 * The one clock of the local runtime: the engine's (real time plus the fast-forward of POST
 * /local/clock, persisted in the engine's journal). Everything that compares times across the boundary
 * between the main thread and the functions must read the same "now", or a fast-forward splits the
 * world in two: a function that reopens a case, signs a presigned URL or a session would live in real
 * time while the engine, the OAuth tokens and the TTL sweeper live in engine time. So:
 * - the Lambda workers' `Date` reads the offset from shared memory (`buffer`, engine-date.js), written
 *   here whenever it may have changed (`sync`: at start, before each invocation, after each step of a
 *   fast-forward), read on every `Date.now()` there;
 * - the main thread's emulations that judge times (token exp/iat, IAM's aws:CurrentTime, s3rver's
 *   request-time and presigned-URL checks, the API event's requestContext.time) call `now()`;
 * - every local HTTP server stamps its `Date` header with `now()`: an AWS SDK in a function corrects
 *   its signing clock to a server's Date that differs by more than five minutes, which would put its
 *   signatures back on real time.
 */
import type { Server } from 'node:http';

export class EngineClock {
  /** The engine's offset in ms, as one BigInt64 (engine-date.js `sharedOffset` reads it). */
  readonly buffer = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  private readonly offset = new BigInt64Array(this.buffer);
  private source: () => number = () => Date.now();

  /** From now on the engine's clock is the source (its offset is restored from the journal at start). */
  follow(engineNow: () => number): void {
    this.source = engineNow;
    this.sync();
  }

  /** Engine time in ms. */
  now(): number {
    return this.source();
  }

  /** The offset now, in whole ms (both readings within the same real millisecond). */
  offsetMs(): number {
    for (;;) {
      const real = Date.now();
      const engine = this.source();
      if (Date.now() === real) return Math.round(engine - real);
    }
  }

  /** Publishes the engine's offset to the workers. */
  sync(): void {
    Atomics.store(this.offset, 0, BigInt(this.offsetMs()));
  }

  /** The server's responses carry the engine's time in their Date header. */
  stamp(server: Server): void {
    server.prependListener('request', (_req, res) => {
      res.setHeader('date', new Date(this.now()).toUTCString());
    });
  }
}
