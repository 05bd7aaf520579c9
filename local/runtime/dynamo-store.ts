/**
 * Inside the DynamoDB thread: dynalite (on LevelDB) and the capacity meter, serving the requests the
 * main thread's endpoint passed its gate (dynamo.ts). dynalite's LevelDB reads and writes took about
 * a third of the main thread under load (bench:local, --cpu-prof): LevelDB's implicit snapshot on
 * each get locks the database on the calling thread. Here they no longer hold up the gateway, the
 * engine and the functions' other calls. Each request arrives as a message (headers and body, already
 * read), is handed to dynalite's own request handler, and its answer goes back with the meter's totals.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { CapacityMeter, metered } from './capacity';

export interface StoreRequest {
  type: 'request';
  id: number;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  housekeeping: boolean;
}

export interface StoreReply {
  type: 'reply';
  id: number;
  status: number;
  headers: Record<string, string | number>;
  body: string;
  readUnits: number;
  writeUnits: number;
}

const port = parentPort;
if (!port) throw new Error('dynamo-store.ts runs in the DynamoDB worker thread');
const { path } = workerData as { path?: string };
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const serve = server.listeners('request')[0] as RequestListener;
const meter = new CapacityMeter();

/** The part of ServerResponse dynalite uses, collected into one reply. */
function response(id: number): ServerResponse {
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
      const reply: StoreReply = {
        type: 'reply',
        id,
        status: res.statusCode,
        headers,
        body: body === undefined ? '' : String(body),
        ...meter.consumed(),
      };
      port?.postMessage(reply);
      return res;
    },
  };
  return res as unknown as ServerResponse;
}

port.on('message', (m: StoreRequest | { type: 'close' }) => {
  if (m.type === 'close') {
    // dynalite closes its LevelDB when its server closes, so it listens (on a port nobody uses).
    server.close(() => port.postMessage({ type: 'closed' }));
    return;
  }
  const req = Object.assign(new PassThrough(), { headers: m.headers, method: m.method, url: m.url });
  const run = () => {
    serve.call(server, req as unknown as IncomingMessage, response(m.id));
    req.end(Buffer.from(m.body));
  };
  if (m.housekeeping) run();
  else metered(meter, run);
});

server.listen(0, '127.0.0.1', () => port.postMessage({ type: 'ready' }));
