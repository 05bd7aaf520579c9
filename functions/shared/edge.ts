import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RULES } from '../domain/input-policy';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';

/** An API Gateway HTTP API event (payload 2.0), with the JWT authorizer's claims when a route has one. */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};

export const MAX_BODY_BYTES = 64 * 1024;

/** The parts of a request that route schemas validate. */
export interface EdgeInput {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  claims: Record<string, unknown>;
}

/**
 * Headers that must come once at every route. API Gateway HTTP APIs (payload format 2.0) join a
 * repeated header with commas into one value, and so does the local gateway; none of these has a
 * comma of its own. (Idempotency-Key is checked by its route's schema, input-policy's singleHeader.)
 */
const SINGLE_VALUED = ['content-type', 'x-twilio-signature'] as const;

export function edgeInput(event: HttpEvent): EdgeInput {
  const headers = { ...(event.headers as Record<string, string>) };
  for (const name of SINGLE_VALUED)
    if (headers[name]?.includes(','))
      throw new ValidationError(`Send the ${name} header once.`, {
        fields: { [`headers.${name}`]: RULES.repeatedHeader },
      });
  return {
    path: { ...(event.pathParameters as Record<string, string> | undefined) },
    query: { ...(event.queryStringParameters as Record<string, string> | undefined) },
    headers,
    body: parseBody(event),
    claims: { ...event.requestContext.authorizer?.jwt?.claims },
  };
}

export function rawBody(event: HttpEvent): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The media type of a Content-Type header, lower case and without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A form's fields; a name given twice is refused rather than one of its values silently kept. */
function formFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, name))
      throw new ValidationError(`The form field '${name}' is given more than once.`, {
        fields: { [name]: RULES.repeatedField },
      });
    fields[name] = value;
  }
  return fields;
}

function parseBody(event: HttpEvent): unknown {
  const text = rawBody(event);
  if (text === '') return undefined;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  const type = mediaType(event.headers['content-type']);
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new ValidationError('The body is not valid JSON.', { fields: { body: 'invalid JSON' } });
    }
  }
  if (type === 'application/x-www-form-urlencoded') return formFields(text);
  throw new UnsupportedMediaTypeError(type);
}
