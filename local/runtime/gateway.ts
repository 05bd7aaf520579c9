/**
 * API Gateway (HTTP API): the template's routes, JWT authorizers and Lambda proxy integrations,
 * turned into payload format 2.0 events the way API Gateway builds them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Claims, IssuerConfig, LocalIssuer } from './jwt';
import { type ResolveContext, resolve } from './resolve';
import { resourcesOfType } from './template';

export interface RouteSpec {
  routeKey: string;
  method: string;
  pattern: RegExp;
  params: string[];
  rank: number[];
  functionArn: string;
  jwt?: IssuerConfig & { scopes: string[] };
}

type Obj = Record<string, unknown>;

function compile(routeKey: string): Pick<RouteSpec, 'method' | 'pattern' | 'params' | 'rank'> {
  const [method = 'ANY', path = '/'] = routeKey === '$default' ? ['ANY', '/{proxy+}'] : routeKey.split(' ');
  const params: string[] = [];
  let statics = 0;
  let greedy = 0;
  const source = path
    .split('/')
    .map((seg) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(seg);
      if (!m) {
        statics++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      params.push(m[1] as string);
      if (m[2]) greedy++;
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  // Most specific first: no greedy part, more literal segments, a method over ANY, $default last.
  const rank = [routeKey === '$default' ? 1 : 0, greedy, -statics, method === 'ANY' ? 1 : 0];
  return { method, pattern: new RegExp(`^${source}$`), params, rank };
}

export function routeSpecs(ctx: ResolveContext): RouteSpec[] {
  const res = ctx.template.Resources;
  const routes: RouteSpec[] = [];
  for (const [, r] of resourcesOfType(ctx.template, 'AWS::ApiGatewayV2::Route')) {
    const p = r.Properties ?? {};
    const target = String(resolve(ctx, p.Target ?? ''));
    const integration = res[target.replace(/^integrations\//, '')];
    const uri = String(resolve(ctx, integration?.Properties?.IntegrationUri ?? ''));
    const fn = /arn:aws:lambda:[^:]+:\d+:function:[^/:]+/.exec(uri)?.[0];
    if (!fn) throw new Error(`Route ${String(p.RouteKey)}: no Lambda integration (${target})`);
    const spec: RouteSpec = { routeKey: String(p.RouteKey), ...compile(String(p.RouteKey)), functionArn: fn };
    if (p.AuthorizationType === 'JWT') {
      const auth = res[String(resolve(ctx, p.AuthorizerId))]?.Properties ?? {};
      const cfg = resolve(ctx, auth.JwtConfiguration ?? {}) as { Issuer?: string; Audience?: string[] };
      spec.jwt = {
        issuer: cfg.Issuer ?? '',
        audience: cfg.Audience ?? [],
        scopes: (resolve(ctx, p.AuthorizationScopes ?? []) as string[]) ?? [],
      };
    }
    routes.push(spec);
  }
  return routes.sort((a, b) => cmp(a.rank, b.rank));
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** The issuer/audience the template's JWT authorizers trust (the first one found). */
export function issuerConfig(routes: RouteSpec[]): IssuerConfig {
  const jwt = routes.find((r) => r.jwt)?.jwt;
  return jwt
    ? { issuer: jwt.issuer, audience: jwt.audience }
    : { issuer: 'https://local.coproduce', audience: ['local'] };
}

export function match(routes: RouteSpec[], method: string, path: string) {
  for (const r of routes) {
    if (r.method !== 'ANY' && r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    r.params.forEach((name, i) => {
      const raw = m[i + 1] as string;
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        pathParameters[name] = raw;
      }
    });
    return { route: r, pathParameters };
  }
  return undefined;
}

const TEXT = /^(text\/|application\/(json|xml|javascript)|.*\+(json|xml)$)/;
const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function clf(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** A payload format 2.0 event, as API Gateway HTTP APIs produce it. */
export function toEvent(
  req: IncomingMessage,
  body: Buffer,
  route: RouteSpec,
  pathParameters: Record<string, string>,
  requestId: string,
  claims?: Claims,
  /** The engine clock's time (clock.ts): a function compares requestContext.time with its own Date. */
  nowMs = Date.now(),
): Obj {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);
  const headers: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const k = (raw[i] as string).toLowerCase();
    const v = raw[i + 1] as string;
    headers[k] = headers[k] === undefined ? v : `${headers[k]},${v}`;
  }
  const cookies = headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  delete headers.cookie;
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString))
    query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const binary = body.length > 0 && !TEXT.test(type);
  const now = new Date(nowMs);
  const host = headers.host ?? 'localhost';
  const event: Obj = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(route.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'localapi',
      ...(claims ? { authorizer: { jwt: { claims: stringClaims(claims), scopes: scopes(claims) } } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0],
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: clf(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: binary,
  };
  if (body.length > 0) event.body = binary ? body.toString('base64') : body.toString('utf8');
  return event;
}

// API Gateway hands JWT claims to the integration as strings; arrays as "[a b]".
function stringClaims(claims: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
  return out;
}

function scopes(claims: Claims): string[] | null {
  return typeof claims.scope === 'string' ? claims.scope.split(' ') : null;
}

/** The claims of the request's bearer token if the route's authorizer accepts it. */
export function authorize(req: IncomingMessage, route: RouteSpec, issuer: LocalIssuer): Claims | undefined {
  if (!route.jwt) return undefined;
  const header = req.headers.authorization ?? '';
  const token = header.replace(/^Bearer\s+/i, '').trim();
  if (!token) return undefined;
  // Expiry by real time, not the engine clock: the API's tokens are minted outside the runtime too
  // (`npm run token`, test harnesses, on real time), and a fast-forward is a test device, not time
  // passing for whoever holds a token; on the engine clock each would expire at the first jump of
  // more than its lifetime. Tokens the runtime issues (the console's sign-in) carry engine-clock
  // iat/exp, which this check accepts as well (the engine clock is never behind real time).
  const claims = issuer.verify(token, route.jwt, Date.now() / 1000);
  if (!claims) return undefined;
  if (route.jwt.scopes.length > 0 && !scopes(claims)?.some((s) => route.jwt?.scopes.includes(s)))
    return undefined;
  return claims;
}

/** Writes a Lambda proxy result (payload 2.0 rules: a result without statusCode is a 200 JSON body). */
export function writeResult(res: ServerResponse, result: unknown, requestId: string): void {
  res.setHeader('apigw-requestid', requestId);
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  const r = result as {
    statusCode: number;
    headers?: Obj;
    cookies?: string[];
    body?: unknown;
    isBase64Encoded?: boolean;
  };
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, String(v));
  if (r.cookies?.length) res.setHeader('set-cookie', r.cookies);
  const text = typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
  res.writeHead(r.statusCode).end(r.isBase64Encoded ? Buffer.from(text, 'base64') : text);
}

export function message(res: ServerResponse, status: number, text: string, requestId: string): void {
  res.setHeader('apigw-requestid', requestId);
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: text }));
}

export const newRequestId = () => randomUUID();
