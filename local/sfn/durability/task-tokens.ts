/**
 * Task tokens (`.waitForTaskToken`): where a task token is stored, and how it is found again.
 * A token is stored in its thread (`thread.taskToken`, journaled with the thread) and nowhere
 * else: it names that thread and task attempt plus 24 random bytes, base64url-encoded behind an
 * `AQ` prefix (AWS tokens also start with AQ). SendTaskSuccess decodes it, loads the execution
 * the thread belongs to (from disk if it was evicted) and accepts it only if the thread still
 * waits for exactly this token, so open tokens cost no memory.
 */
import { randomBytes } from 'node:crypto';

export function encodeToken(threadId: string, attempt: number): string {
  const body = `${threadId}:${attempt}:${randomBytes(24).toString('base64url')}`;
  return `AQ${Buffer.from(body).toString('base64url')}`;
}

export interface DecodedToken {
  executionKey: number;
  threadId: string;
}

/** The thread a well-formed token names, or null if it is not one of ours. */
export function decodeToken(token: string): DecodedToken | null {
  if (!token.startsWith('AQ')) return null;
  const m = /^((\d+)\.\d+):\d+:[\w-]+$/.exec(Buffer.from(token.slice(2), 'base64url').toString());
  return m ? { executionKey: Number(m[2]), threadId: m[1] as string } : null;
}
