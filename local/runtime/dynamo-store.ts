/**
 * dynalite (on LevelDB) and the capacity meter, serving the requests the endpoint on the main thread
 * let through its gate (dynamo.ts): each arrives with its headers and body already read, is handed to
 * dynalite's own request handler, and its answer goes back with the meter's totals. By default this
 * runs in a thread of its own (dynamo-thread.ts): dynalite's LevelDB work took about a third of the
 * main thread under load (bench:local, --cpu-prof), and LevelDB's implicit snapshot on each get locks
 * the database on the calling thread. LOCAL_DYNAMO_THREAD=off runs it on the main thread.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import dynalite from 'dynalite';
import { CapacityMeter, metered } from './capacity';
import { cacheDynaliteExpressions } from './dynalite-expressions';
import { closeLevelIteratorsOnReturn } from './level-iterators';
import { withSynchronousGets } from './level-sync-gets';

export interface StoreRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  housekeeping: boolean;
}

export interface StoreReply {
  status: number;
  headers: Record<string, string | number>;
  body: string;
  readUnits: number;
  writeUnits: number;
}

export interface Store {
  serve(request: StoreRequest): Promise<StoreReply>;
  close(): Promise<void>;
}

export async function openStore(path: string | undefined): Promise<Store> {
  // Else every Query and Scan leaves its LevelDB iterator open (level-iterators.ts).
  closeLevelIteratorsOnReturn();
  // Each distinct expression parsed once, not once per request (dynalite-expressions.ts).
  cacheDynaliteExpressions();
  // Its reads on this thread, not through libuv's pool (level-sync-gets.ts).
  const server = withSynchronousGets(() =>
    dynalite({
      ...(path ? { path } : {}),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    }),
  );
  const handle = server.listeners('request')[0] as RequestListener;
  const meter = new CapacityMeter();
  // dynalite closes its LevelDB when its server closes, so it listens (on a port nobody uses).
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    serve: (m) =>
      new Promise((ok) => {
        const req = Object.assign(new PassThrough(), { headers: m.headers, method: m.method, url: m.url });
        const run = () => {
          handle.call(server, req as unknown as IncomingMessage, response(meter, ok));
          req.end(Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength));
        };
        if (m.housekeeping) run();
        else metered(meter, run);
      }),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The part of ServerResponse dynalite uses, collected into one reply. */
function response(meter: CapacityMeter, done: (reply: StoreReply) => void): ServerResponse {
  const headers: Record<string, string | number> = {};
  const res = {
    statusCode: 200,
    contentType: undefined as string | undefined,
    headersSent: false,
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    end(body?: string | Buffer) {
      res.headersSent = true;
      const text = body === undefined ? '' : String(body);
      done({ status: res.statusCode, headers, body: text, ...meter.consumed() });
      return res;
    },
  };
  return res as unknown as ServerResponse;
}
