/**
 * The bench client's HTTP: node:http over kept-alive connections. The client shares the machine with
 * the runtime it measures, so what it spends is taken from the runtime; a client elsewhere would take
 * nothing. fetch (undici) with a signal per request cost the driver's thread 9.1-12.7 ms of CPU per case
 * in bench:local (the driver line), for twelve requests or so.
 */
import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpCall {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Ends the call early (the case's own deadline): the answer is an AbortError. */
  signal: AbortSignal;
  /** Bound on the whole call, from the request to the last byte of the answer. */
  timeoutMs: number;
}

// One connection per case in flight is enough; a few spare for the moments a poll overlaps a submit.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/** One request and its whole answer as text; rejects on an aborted signal, the timeout or a socket error. */
export function httpCall(url: string, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    call.signal.throwIfAborted();
    const headers =
      call.body === undefined
        ? call.headers
        : { ...call.headers, 'content-length': String(Buffer.byteLength(call.body)) };
    const req = request(url, { method: call.method, headers, agent, signal: call.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${call.timeoutMs} ms`)),
      call.timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(call.body);
  });
}
