/**
 * Refusals of the local AWS JSON 1.0 endpoints (DynamoDB, Step Functions), written before the
 * emulated service sees a call: the error body's shape, and the caller's IAM check on the parsed
 * request. The gates (dynamo-gate.ts, sfn-gate.ts) say which checks and which error names apply.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessCheck, LocalIam } from './iam';
import { signedAccessKey } from './sigv4';

export interface Refusal {
  status: number;
  body: string;
}

/** DynamoDB's AccessDeniedException says `Message`; every other error of both services `message`. */
export const refusal = (status: number, type: string, message: string, capital = false): Refusal => ({
  status,
  body: JSON.stringify({ __type: type, [capital ? 'Message' : 'message']: message }),
});

/**
 * Why the signed caller may not make this call, or undefined when it may (or is no principal the
 * runtime knows, or the body is not JSON: then the service itself answers SerializationException).
 */
export function deniedCall(
  iam: LocalIam | undefined,
  headers: IncomingHttpHeaders,
  body: Buffer,
  checks: (input: Record<string, unknown>) => AccessCheck[],
): string | undefined {
  const principal = iam?.principal(signedAccessKey(headers));
  if (!principal || !iam) return undefined;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const verdict = iam.check(principal, checks(input));
  return verdict.allowed ? undefined : verdict.message;
}
