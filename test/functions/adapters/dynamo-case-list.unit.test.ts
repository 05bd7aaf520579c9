import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseLister } from '../../../functions/adapters/dynamo-case-list';
import { keys } from '../../../functions/adapters/table-keys';
import { caseRecord } from './fixtures';

// The exact calls of a listing of every status when the index names a case twice: the local runtime's
// byServiceCreated did after a kill -9 in the middle of a round (test/e2e/rounds-crash.test.ts), and
// BatchGetItem refuses a key twice with a ValidationException, which became a 500.

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));

afterEach(() => {
  ddb.reset();
});

describe('listing every status', () => {
  const a = caseRecord({ caseId: 'a'.repeat(32), org: 'gm0363', createdAt: '2026-11-30T05:49:36.883Z' });
  const b = caseRecord({ caseId: 'b'.repeat(32), org: 'gm0363', createdAt: '2026-11-30T05:49:36.562Z' });
  const keyOf = (c: typeof a) => keys.case(c.caseId);
  /** An index entry (keys only): the table's keys and the index's, createdAt as given. */
  const entry = (c: typeof a, createdAt = c.createdAt) => ({
    ...keyOf(c),
    gsi2pk: 'SVC#gm0363#waste-collection',
    createdAt,
  });
  const list = () =>
    new CaseLister(client, 'cases').list({ org: 'gm0363', serviceId: 'waste-collection', limit: 3 });

  beforeEach(() => {
    ddb.on(BatchGetCommand).callsFake((input) => {
      const wanted = input.RequestItems.cases.Keys as { pk: string }[];
      const ids = new Set(wanted.map((k) => k.pk));
      // As DynamoDB does: a request naming one key twice is refused as a whole.
      if (ids.size !== wanted.length)
        throw new Error('ValidationException: Provided list of item keys contains duplicates');
      return {
        Responses: { cases: [a, b].filter((c) => ids.has(keyOf(c).pk)).map((c) => ({ ...c, ...keyOf(c) })) },
      };
    });
  });

  it('asks for each key once and lists a case once when the index names it twice', async () => {
    // What the local runtime's index held after a kill -9 in the middle of a round.
    ddb.on(QueryCommand).resolves({ Items: [entry(a), entry(b), entry(a, '2026-11-30T05:49:30.540Z')] });
    const page = await list();
    expect(page.items.map((c) => c.caseId)).toEqual([a.caseId, b.caseId]);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.cases?.Keys).toEqual([
      keyOf(a),
      keyOf(b),
    ]);
  });

  it('leaves out an entry the item no longer has, so a case is not listed again on another page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [entry(a, '2026-11-30T05:49:30.540Z')] });
    expect((await list()).items).toEqual([]);
  });
});
