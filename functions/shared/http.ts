import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type EdgeInput, edgeInput, type HttpEvent } from './edge';
import { errorBody, statusOf, ValidationError } from './errors';
import { issueMessage } from './issue-messages';
import { log } from './logger';
import { loadSecrets } from './secret-loading';
import { BASE_HEADERS, PAGE_CSP } from './security-headers';

export type { HttpEvent } from './edge';
export type HttpResult = { statusCode: number; headers: Record<string, string>; body: string };

/** The path a public URL's pages live under (the citizen's, the console's), without a trailing slash. */
export const rootPathOf = (publicUrl: string) => new URL(publicUrl).pathname.replace(/\/+$/, '');

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: {
      ...BASE_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      ...headers,
    },
    body,
  };
}

export function xml(statusCode: number, body: string): HttpResult {
  return { statusCode, headers: { ...BASE_HEADERS, 'content-type': 'text/xml; charset=utf-8' }, body };
}

type ErrorRenderer = (status: number, error: unknown, event: HttpEvent) => HttpResult;
const renderJsonError: ErrorRenderer = (status, error) => json(status, errorBody(error));

/**
 * The one middy stack for HTTP routes: headers normalised, the secrets the handler's modules hold
 * loaded, the edge parsed with zod, typed errors mapped to status codes, unexpected errors (a
 * secret that cannot be read among them) logged and never leaked.
 */
export function httpRoute<S extends z.ZodMiniType>(
  schema: S,
  handle: (input: z.output<S>, event: HttpEvent) => Promise<HttpResult>,
  renderError: ErrorRenderer = renderJsonError,
) {
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(httpHeaderNormalizer())
    .use(loadSecrets())
    .use({
      onError: async (request) => {
        const status = statusOf(request.error);
        if (status >= 500) await log('error', 'unhandled error', { error: request.error as Error });
        else await log('info', 'client error', { status, code: errorBody(request.error).error.code });
        request.response = renderError(status, request.error, request.event);
      },
    })
    .handler(async (event) => handle(parseEdge(schema, edgeInput(event)), event));
}

export function parseEdge<S extends z.ZodMiniType>(schema: S, input: EdgeInput): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues)
    fields[issue.path.join('.') || '(root)'] ??= issueMessage(issue, input);
  throw new ValidationErrorFromEdge(fields);
}

class ValidationErrorFromEdge extends ValidationError {
  constructor(fields: Record<string, string>) {
    super(`Invalid request: ${Object.keys(fields).join(', ')}`, { fields });
  }
}
