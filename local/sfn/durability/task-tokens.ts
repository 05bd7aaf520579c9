/**
 * Task tokens. A token names its thread and task attempt plus 24 random bytes, base64url-encoded
 * behind an `AQ` prefix (AWS tokens also start with AQ). The engine looks open tokens up in a
 * map; decoding is only used to tell a closed task (TaskTimedOut) from garbage (InvalidToken).
 */
import { randomBytes } from 'node:crypto';

export function encodeToken(threadId: string, attempt: number): string {
  const body = `${threadId}:${attempt}:${randomBytes(24).toString('base64url')}`;
  return `AQ${Buffer.from(body).toString('base64url')}`;
}

/** The execution key a well-formed token belongs to, or null if it is not one of ours. */
export function decodeToken(token: string): number | null {
  if (!token.startsWith('AQ')) return null;
  const m = /^(\d+)\.\d+:\d+:[\w-]+$/.exec(Buffer.from(token.slice(2), 'base64url').toString());
  return m ? Number(m[1]) : null;
}
