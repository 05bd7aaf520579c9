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
