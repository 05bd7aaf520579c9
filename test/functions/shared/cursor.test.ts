import { describe, expect, it } from 'vitest';
import { PiiVault } from '../../../functions/domain/pii';
import {
  CURSOR_MAX_LENGTH,
  casesScope,
  openCursor,
  roundsScope,
  sealCursor,
} from '../../../functions/shared/cursor';
import { ValidationError } from '../../../functions/shared/errors';

// Page cursors: opaque, tamper-proof (HMAC with a key derived from the PII secret), bound to their
// query and bounded in size. Anything but a cursor this server gave out for this query is a 400.

const vault = new PiiVault('cursor-test-key-0123456789abcdefghijklmnop');
const scope = casesScope('gm0363', 'waste-collection', undefined);
const key = {
  pk: 'CASE#0123456789abcdef0123456789abcdef',
  sk: 'CASE',
  gsi2pk: 'SVC#gm0363#waste-collection',
  createdAt: '2026-03-02T09:00:00.000Z',
};

const refused = (cursor: string, inScope = scope, signer = vault) =>
  expect(() => openCursor(signer, inScope, cursor)).toThrow(ValidationError);

describe('page cursors', () => {
  it('give back the position they hold, for the query they were made for', () => {
    const cursor = sealCursor(vault, scope, key);
    expect(cursor.length).toBeLessThan(400);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(openCursor(vault, scope, cursor)).toEqual(key);
  });

  it('refuse a cursor of another organisation, service, status filter or list', () => {
    const cursor = sealCursor(vault, scope, key);
    refused(cursor, casesScope('gm0599', 'waste-collection', undefined));
    refused(cursor, casesScope('gm0363', 'care-plan', undefined));
    refused(cursor, casesScope('gm0363', 'waste-collection', 'ACTIVE'));
    refused(cursor, roundsScope('gm0363', 'waste-collection'));
  });

  it('refuse a changed payload, a changed or cut MAC, and another key', () => {
    const cursor = sealCursor(vault, scope, key);
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...key, gsi2pk: 'SVC#gm0599#waste-collection' })).toString(
      'base64url',
    );
    refused(`${forged}.${mac}`);
    refused(`${payload}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`);
    refused(`${payload}.${mac.slice(1)}`);
    refused(`${payload}x.${mac}`);
    refused(cursor, scope, new PiiVault('another-deployment-key-0123456789abcdefgh'));
  });

  it('refuse what is not a cursor at all, and anything too long, before any MAC is computed', () => {
    for (const crafted of ['', '.', 'e30', 'e30.', '%%%', 'a.b.c', `${'A'.repeat(CURSOR_MAX_LENGTH)}.x`])
      refused(crafted);
    // A validly signed cursor that holds no usable key is refused all the same.
    for (const value of [{}, [], 'x', null, { pk: 1 }, { pk: '' }, { pk: 'x'.repeat(1025) }])
      refused(sealCursor(vault, scope, value as never));
  });
});
