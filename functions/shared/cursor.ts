import { sameSecret } from '../domain/pii';
import type { PageKey } from '../domain/ports';
import { ValidationError } from './errors';

// Page cursors as clients see them: `<payload>.<mac>`, the payload the position in the index (the
// repository's PageKey, base64url JSON) and the MAC an HMAC over the query it belongs to and the
// payload, with a key derived from the PII secret. A client can hand back only a cursor this server
// gave out for the same query (organisation, service, status filter): anything else, crafted, cut,
// swapped between queries or from another deployment, is a 400 before it reaches DynamoDB.

/** Well above any cursor given out (about 400 characters), well below what would cost anything. */
export const CURSOR_MAX_LENGTH = 1024;
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,1000}\.[A-Za-z0-9_-]{22}$/;
/** Longest value a PageKey may hold: DynamoDB keys are at most 2,048 bytes (partition) / 1,024 (sort). */
const KEY_VALUE_MAX = 1024;

export interface CursorSigner {
  hash(value: string): string;
}

const invalid = () =>
  new ValidationError('The cursor is not valid for this query; start again without it.', {
    fields: { cursor: 'not a cursor of this query' },
  });

/** 128 bits of the HMAC, bound to the query (`scope`) as well as to the position. */
const macOf = (signer: CursorSigner, scope: string, payload: string) =>
  signer.hash(`page-cursor\u0000${scope}\u0000${payload}`).slice(0, 22);

export function sealCursor(signer: CursorSigner, scope: string, key: PageKey): string {
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${macOf(signer, scope, payload)}`;
}

/** The position a cursor of this query holds; a ValidationError (400) for anything else. */
export function openCursor(signer: CursorSigner, scope: string, cursor: string): PageKey {
  if (cursor.length > CURSOR_MAX_LENGTH || !CURSOR_PATTERN.test(cursor)) throw invalid();
  const dot = cursor.indexOf('.');
  const payload = cursor.slice(0, dot);
  if (!sameSecret(cursor.slice(dot + 1), macOf(signer, scope, payload))) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  // Signed by this server, so well-formed; checked all the same, as any input before DynamoDB sees it.
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  const entries = Object.entries(value);
  if (entries.length === 0 || entries.length > 8) throw invalid();
  for (const [, v] of entries)
    if (typeof v !== 'string' || v === '' || Buffer.byteLength(v) > KEY_VALUE_MAX) throw invalid();
  return Object.fromEntries(entries) as PageKey;
}

/** The query a case list cursor belongs to. */
export const casesScope = (org: string, serviceId: string, status: string | undefined) =>
  `cases\u0000${org}\u0000${serviceId}\u0000${status ?? '*'}`;

/** The query a round list cursor belongs to. */
export const roundsScope = (org: string, serviceId: string) => `rounds\u0000${org}\u0000${serviceId}`;

/** The query a case's processing log cursor belongs to (the console's log page, GET /cases/{caseId}/processing). */
export const processingScope = (caseId: string) => `processing\u0000${caseId}`;
