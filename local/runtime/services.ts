/**
 * One local HTTP endpoint for the AWS services the functions call besides DynamoDB, S3 and Step
 * Functions (End User Messaging SMS, Secrets Manager, SNS) and for the Twilio API emulator. Every
 * AWS_ENDPOINT_URL_<SERVICE> of those points here; each request is offered to the handlers in turn
 * (they tell theirs apart by X-Amz-Target, the query protocol's Action, or Twilio's path).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineClock } from './clock';
import type { FaultRates } from './fault-rates';
import type { LocalIam, Principal } from './iam';
import { signedAccessKey } from './sigv4';

export interface ServiceRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** X-Amz-Target (AWS JSON protocols), '' when absent. */
  target: string;
}

/** What the endpoints check (IAM) and inject (LOCAL_FAULTS); set once the runtime has them. */
export interface ServiceGuard {
  iam?: LocalIam;
  rates?: FaultRates;
}

/** The function that signed the request, if a function did (undefined: the account's own caller). */
export const callerOf = (guard: ServiceGuard, req: ServiceRequest): Principal | undefined =>
  guard.iam?.principal(signedAccessKey(req.headers));

/** Handles the request and returns true, or returns false when it is not this handler's. */
export type ServiceHandler = (req: ServiceRequest, res: ServerResponse) => boolean | Promise<boolean>;

export interface LocalServices {
  url: string;
  use(handler: ServiceHandler): void;
  stop(): Promise<void>;
}

/** An AWS JSON protocol (1.0 or 1.1) error, as the SDKs parse it. */
export function awsJsonError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  version: '1.0' | '1.1' = '1.0',
): void {
  res
    .writeHead(status, { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-errortype': type })
    .end(JSON.stringify({ __type: type, message }));
}

export async function startServices(
  log: (line: string) => void,
  clock?: EngineClock,
): Promise<LocalServices> {
  const handlers: ServiceHandler[] = [];
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (body === undefined) return void res.writeHead(413).end();
      const request: ServiceRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] as string,
        headers: req.headers,
        body,
        target: String(req.headers['x-amz-target'] ?? ''),
      };
      for (const handle of handlers) if (await handle(request, res)) return;
      awsJsonError(
        res,
        400,
        'UnknownOperationException',
        `Not emulated locally: ${request.target || request.path}`,
      );
    } catch (e) {
      log(`local AWS endpoint error: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) awsJsonError(res, 500, 'InternalFailure', 'Local service error');
    }
  });
  clock?.stamp(server);
  const port = await new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    use: (handler) => void handlers.push(handler),
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** A request's body, or undefined past `limit` bytes (read to the end either way, so the socket stays usable). */
export function readBody(req: IncomingMessage, limit = 10 * 2 ** 20): Promise<Buffer | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => ok(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}
