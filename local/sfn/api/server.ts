/**
 * The Step Functions JSON API over HTTP (AWS JSON 1.0, as @aws-sdk/client-sfn speaks it):
 * POST / with `X-Amz-Target: AWSStepFunctions.<Action>`. Dates go out as epoch seconds; errors
 * as HTTP 400 with `__type` and `x-amzn-ErrorType`, which the SDK maps to its exception classes.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfnApiError } from './api-errors';
import type { Engine } from './engine';

/** `caller`: the access key the request was signed with. */
type Action = (engine: Engine, input: Record<string, unknown>, caller: string | undefined) => unknown;

/** Every action the engine answers; the input is passed through as the SDK sent it. */
const ACTIONS: Record<string, Action> = {
  CreateStateMachine: (e, i) => e.createStateMachine(i as never),
  DescribeStateMachine: (e, i) => e.describeStateMachine(i as never),
  ListStateMachines: (e, i) => e.listStateMachines(i as never),
  DeleteStateMachine: (e, i) => e.deleteStateMachine(i as never),
  UpdateStateMachine: (e, i) => e.updateStateMachine(i as never),
  StartExecution: (e, i, caller) => e.startExecution(i as never, caller),
  DescribeExecution: (e, i) => e.describeExecution(i as never),
  ListExecutions: (e, i) => e.listExecutions(i as never),
  StopExecution: (e, i) => e.stopExecution(i as never),
  RedriveExecution: (e, i) => e.redriveExecution(i as never),
  GetExecutionHistory: (e, i) => e.getExecutionHistory(i as never),
  SendTaskSuccess: (e, i) => e.sendTaskSuccess(i as never),
  SendTaskFailure: (e, i) => e.sendTaskFailure(i as never),
  SendTaskHeartbeat: (e, i) => e.sendTaskHeartbeat(i as never),
};

const JSON_TYPE = 'application/x-amz-json-1.0';

/** The access key id of a Signature Version 4 Authorization header. */
const CREDENTIAL = /Credential=([^/,\s]+)\//;

/** JSON with Date values as epoch seconds (the JSON 1.0 timestamp format). */
function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ __type: `com.amazonaws.states#${code}`, message });
  res.writeHead(status, {
    'content-type': JSON_TYPE,
    'x-amzn-errortype': code,
    'x-amzn-requestid': crypto.randomUUID(),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function createHandler(engine: Engine): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(engine, req, Buffer.concat(chunks).toString('utf8'), res);
    });
  };
}

async function handle(
  engine: Engine,
  req: http.IncomingMessage,
  text: string,
  res: http.ServerResponse,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const action = target.startsWith('AWSStepFunctions.') ? ACTIONS[target.slice(17)] : undefined;
  if (req.method !== 'POST' || !action) {
    return sendError(res, 400, 'UnknownOperationException', `Unknown operation ${target}`);
  }
  let input: Record<string, unknown>;
  try {
    input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return sendError(res, 400, 'SerializationException', 'Request body is not valid JSON');
  }
  try {
    const caller = CREDENTIAL.exec(String(req.headers.authorization ?? ''))?.[1];
    const out = await action(engine, input, caller);
    const body = encode(out ?? {});
    res.writeHead(200, {
      'content-type': JSON_TYPE,
      'x-amzn-requestid': crypto.randomUUID(),
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } catch (e) {
    if (e instanceof SfnApiError) return sendError(res, 400, e.code, e.message);
    console.error('[sfn server]', e);
    sendError(res, 500, 'InternalServerError', e instanceof Error ? e.message : String(e));
  }
}

/** Serves the API on `port` (0 = any free port); resolves with the server once listening. */
export function listen(
  engine: Engine,
  port: number,
  host = '127.0.0.1',
): Promise<http.Server & { port: number }> {
  const server = http.createServer(createHandler(engine));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const s = server as http.Server & { port: number };
      s.port = (server.address() as AddressInfo).port;
      resolve(s);
    });
  });
}
