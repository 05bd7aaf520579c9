/**
 * Pagination for the List/GetExecutionHistory APIs: the nextToken is the opaque (base64) offset
 * of the next page, and maxResults defaults to 100 and is capped at 1000 as in AWS.
 */
import { SfnApiError } from './api-errors';

export function paginate<T>(
  all: T[],
  max: number | undefined,
  token: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token) {
    const n = Number(Buffer.from(token, 'base64url').toString());
    if (!Number.isInteger(n) || n < 0) throw new SfnApiError('InvalidToken', `Invalid Token: '${token}'`);
    start = n;
  }
  const size = max && max > 0 ? Math.min(max, 1000) : 100;
  const page = all.slice(start, start + size);
  const next =
    start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, nextToken: next };
}
