import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../functions/shared/http';

// HTTP API (payload 2.0) events as API Gateway delivers them, for handler tests.

export interface EventOptions {
  method?: string;
  path?: string;
  routeKey?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Objects are sent as JSON (content-type set unless given); strings as they are. */
  body?: unknown;
  claims?: Record<string, string>;
}

export const staffClaims = (over: Record<string, string> = {}): Record<string, string> => ({
  sub: 'staff-1',
  email: 'staff@gm0363.example.nl',
  'custom:org': 'gm0363',
  'custom:orgKind': 'municipality',
  ...over,
});

export function httpEvent(options: EventOptions = {}): HttpEvent {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const headers: Record<string, string> = { host: 'api.example.nl', ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  const query = options.query;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    ...(query && { queryStringParameters: query }),
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    ...(body !== undefined && { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example.nl',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: options.routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '02/Mar/2026:09:00:00 +0000',
      timeEpoch: 1_772_442_000_000,
      ...(options.claims && { authorizer: { jwt: { claims: options.claims } } }),
    },
  } as HttpEvent;
}

export const lambdaContext = { functionName: 'test', awsRequestId: 'req-1' } as Context;

type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Calls a handler and parses a JSON body when there is one. */
export async function invoke(handler: Handler, options: EventOptions) {
  const result = await handler(httpEvent(options), lambdaContext);
  const type = result.headers['content-type'] ?? '';
  const json = type.startsWith('application/json')
    ? (JSON.parse(result.body) as Record<string, unknown>)
    : undefined;
  return { ...result, json };
}

/** The `error.code` of a JSON error response. */
export function errorCode(res: { json?: Record<string, unknown> }): string | undefined {
  return (res.json?.error as { code?: string } | undefined)?.code;
}
