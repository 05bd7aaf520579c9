import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// One client of each kind per container, created on first use so that a bundle only
// carries (and a cold start only pays for) the clients its handler touches.
// The PURE marks let esbuild drop the clients a handler never calls.
// Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables; no local branches.

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const documentClient = /* @__PURE__ */ once(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
);

export const sfnClient = /* @__PURE__ */ once(() => new SFNClient({}));

export const smsClient = /* @__PURE__ */ once(() => new PinpointSMSVoiceV2Client({}));

// Checksums only where S3 requires them: by default the SDK signs a CRC32 into presigned PUT URLs (of an
// empty body), which then refuses the caller's upload. Path-style addressing needs no setting: the SDK
// uses it by itself for an endpoint whose host is an IP address (AWS_ENDPOINT_URL_S3 locally).
export const s3Client = /* @__PURE__ */ once(
  () =>
    new S3Client({
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
);
