/**
 * The local gateway's request handling, in order: the local OAuth pages, the /local/ routes, the
 * template's routes (JWT authorizer, then the function), and under smsProvider=aws the v1 SMS
 * webhook (POST /sms/inbound, answered as a carrier would: see sms-inbound.ts).
 * HTTP API's limits (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html):
 * a payload over 10 MB is refused (413); an integration that has not answered after 30 seconds gets
 * 503 {"message":"Service Unavailable"} (the function itself runs on until its own timeout); a failed
 * invocation (the function's error, or Lambda refusing the Invoke) is 500 {"message":"Internal Server Error"}.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formParams } from '../../functions/sms/twilio-signature';
import { authorize, match, message, newRequestId, type RouteSpec, toEvent, writeResult } from './gateway';
import type { LocalIssuer } from './jwt';
import type { LocalLambda } from './lambda';
import { type LocalOAuth, OAUTH_PREFIX } from './oauth';
import { readBody } from './services';
import type { LocalSmsInbound } from './sms-inbound';

export interface FrontDoor {
  routes: RouteSpec[];
  issuer: LocalIssuer;
  oauth: LocalOAuth;
  lambda: LocalLambda;
  inbound: LocalSmsInbound;
  /** Serves a /local/ route; false when there is none for the method and path. */
  local: (
    method: string,
    path: string,
    body: Buffer,
    res: ServerResponse,
    query: URLSearchParams,
  ) => Promise<boolean>;
  log: (line: string) => void;
  /** The engine clock (clock.ts). */
  now?: () => number;
  /** HTTP API's maximum integration timeout. */
  integrationTimeoutMs?: number;
}

export const INTEGRATION_TIMEOUT_MS = 30_000;
const TIMED_OUT = Symbol('integration timeout');

export function frontDoor(door: FrontDoor) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body === undefined) return message(res, 413, 'Request Entity Too Large', requestId);
    if (path.startsWith(`${OAUTH_PREFIX}/`)) return void door.oauth.handle(req, body, res);
    if (path.startsWith('/local/')) {
      if (!(await door.local(method, path, body, res, new URLSearchParams(search))))
        message(res, 404, 'Not Found', requestId);
      return;
    }
    const found = match(door.routes, method, path);
    if (!found) {
      if (method === 'POST' && path === '/sms/inbound' && door.inbound.provider === 'aws') {
        const signature = req.headers['x-twilio-signature'];
        return door.inbound.carrier(
          formParams(body.toString('utf8')),
          typeof signature === 'string' ? signature : undefined,
          res,
        );
      }
      return message(res, 404, 'Not Found', requestId);
    }
    let claims: ReturnType<typeof authorize>;
    if (found.route.jwt) {
      claims = authorize(req, found.route, door.issuer);
      if (!claims) return message(res, 401, 'Unauthorized', requestId);
    }
    const event = toEvent(req, body, found.route, found.pathParameters, requestId, claims, door.now?.());
    let result: unknown;
    let timer: NodeJS.Timeout | undefined;
    const limit = door.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
    const timedOut = new Promise<typeof TIMED_OUT>((ok) => {
      timer = setTimeout(() => ok(TIMED_OUT), limit);
    });
    const invocation = door.lambda.invoke(found.route.functionArn, event);
    try {
      result = await Promise.race([invocation, timedOut]);
    } catch (e) {
      door.log(`${found.route.routeKey}: function error: ${(e as Error).stack ?? String(e)}`);
      return message(res, 500, 'Internal Server Error', requestId);
    } finally {
      clearTimeout(timer);
    }
    if (result === TIMED_OUT) {
      invocation.catch(() => {}); // it ends (or times out) on its own; nobody waits for it any more
      door.log(`${found.route.routeKey}: no answer within the integration timeout (${limit / 1000} s): 503`);
      return message(res, 503, 'Service Unavailable', requestId);
    }
    writeResult(res, result, requestId);
  };
}
