/**
 * How a Task state's Resource reads: the integration pattern its suffix asks for, the type and
 * name the history shows, and whether it names a Lambda function directly. Pure string reading,
 * shared by the interpreter (history, timeouts) and the integrations that make the call.
 */

/** Splits `arn:...:lambda:invoke.waitForTaskToken` into the base resource and the pattern. */
export function splitResource(resource: string): { base: string; pattern: 'request' | 'token' | 'sync' } {
  if (resource.endsWith('.waitForTaskToken')) return { base: resource.slice(0, -17), pattern: 'token' };
  if (resource.endsWith('.sync')) return { base: resource.slice(0, -5), pattern: 'sync' };
  if (resource.endsWith('.sync:2')) return { base: resource.slice(0, -7), pattern: 'sync' };
  return { base: resource, pattern: 'request' };
}

/** History naming: `arn:aws:states:::lambda:invoke` → type `lambda`, resource `invoke`. */
export function describeResource(resource: string): { resourceType: string; resource: string } {
  const m = /^arn:aws:states:[^:]*:[^:]*:([^:]+):(.+)$/.exec(resource);
  if (m) return { resourceType: m[1] as string, resource: m[2] as string };
  return { resourceType: 'lambda', resource };
}

/** A function's ARN, as a Task may name it instead of `arn:aws:states:::lambda:invoke`. */
export const isLambdaArn = (resource: string) => /^arn:aws[\w-]*:lambda:[^:]*:\d*:function:/.test(resource);
