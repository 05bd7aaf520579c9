/**
 * A DynamoDB JSON 1.0 request as the local DynamoDB's store takes it (dynamo-store.ts `serve`,
 * the thread's `send`): signed by the runtime's local key, not housekeeping.
 */
export const dynamoRequest = (target: string, body: unknown) => ({
  method: 'POST',
  url: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${target}`,
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
    'x-amz-date': '20260101T000000Z',
  },
  body: Buffer.from(JSON.stringify(body)),
  housekeeping: false,
});

/** A store's answer to one request: its status and its parsed body. */
export type StoreSend = (
  target: string,
  body: unknown,
) => Promise<{ status: number; body: Record<string, unknown> & { Table?: { TableStatus?: string } } }>;

/** Creates the table `things` (keyed by `pk`) and waits until dynalite, which does it on a timer, activates it. */
export async function createThings(send: StoreSend): Promise<void> {
  await send('CreateTable', {
    TableName: 'things',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < 100; i++) {
    if ((await send('DescribeTable', { TableName: 'things' })).body.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the table things did not become ACTIVE');
}
