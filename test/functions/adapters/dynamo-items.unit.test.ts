import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { putNew } from '../../../functions/adapters/dynamo-items';

// The once-only write every claim, marker and log record uses: its exact call and its answers.

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const item = { pk: 'SMS#m1', sk: 'SMS', ttl: 1 };

afterEach(() => {
  ddb.reset();
});

describe('putNew', () => {
  it('writes the item only where its key is free, and says it did', async () => {
    ddb.on(PutCommand).resolves({});
    expect(await putNew(client, 'cases', item)).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
      TableName: 'cases',
      Item: item,
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('answers false for a key that is taken, and passes every other error on', async () => {
    ddb
      .on(PutCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    expect(await putNew(client, 'cases', item)).toBe(false);
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
      name: 'ThrottlingException',
    });
    ddb.reset();
    ddb.on(PutCommand).rejects(throttled);
    await expect(putNew(client, 'cases', item)).rejects.toThrow('allowed throughput');
  });
});
