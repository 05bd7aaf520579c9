/**
 * Task tokens (`.waitForTaskToken`). A token is stored in its thread (`thread.taskToken`, journaled
 * with the thread) and names that thread and task attempt plus 24 random bytes, base64url-encoded
 * behind an `AQ` prefix (AWS tokens also start with AQ). Open tokens are looked up here;
 * decoding tells a closed task (TaskTimedOut) from one that never existed or from garbage.
 */
import { randomBytes } from 'node:crypto';
import type { Thread } from '../interpreter/execution';

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

/** The open task tokens: token → the thread whose task waits for it. */
export class TaskTokens {
  private readonly open = new Map<string, Thread>();

  get size(): number {
    return this.open.size;
  }

  issue(thread: Thread): string {
    const token = encodeToken(thread.id, thread.attempt);
    this.open.set(token, thread);
    return token;
  }

  /** After a restart: the token journaled with a waiting thread is open again. */
  restore(thread: Thread): void {
    if (thread.taskToken) this.open.set(thread.taskToken, thread);
  }

  revoke(token: string): void {
    this.open.delete(token);
  }

  find(token: string): Thread | undefined {
    return this.open.get(token);
  }
}
