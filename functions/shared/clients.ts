import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reuseResolvedMiddleware } from './reused-middleware';

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

type Signer = DynamoDBClient['config']['signer'];

/**
 * One SigV4 signer per client and auth scheme. Left alone, the SDK builds a signer for every request
 * (@aws-sdk/core's resolveAwsSdkSigV4Config): a copy of the client's whole config, and an empty cache of
 * signing keys, so each call derives the day's key again (five HMACs). A kept signer still asks the
 * client's credential provider at every request, and keys its cache by those credentials and the day,
 * so rotated credentials sign as before. 2-4% less CPU per warm DynamoDB call (`npm run bench:sdk`).
 * Not for S3: its scheme can differ by bucket, and the presigned uploads need nothing faster.
 */
export function oneSigner<Client extends { config: { signer: Signer } }>(client: Client): Client {
  const build = client.config.signer;
  const signers = new Map<string, ReturnType<Signer>>();
  client.config.signer = (scheme) => {
    const key = `${scheme?.name}/${scheme?.signingName}/${scheme?.signingRegion}`;
    let signer = signers.get(key);
    if (!signer) {
      signer = build(scheme);
      signers.set(key, signer);
      // A signer that could not be built (no region yet, say) is built again at the next request.
      signer.catch(() => signers.delete(key));
    }
    return signer;
  };
  return client;
}

// Each kind of command resolves its middleware once (reused-middleware.ts; `cacheMiddleware` for the plain
// clients). With the one signer: 22% less CPU per warm DynamoDB call than the SDK's client as it comes
// (`npm run bench:sdk`, 448 against 575 µs), where the signer alone saved 2-4%.
export const documentClient = /* @__PURE__ */ once(() =>
  reuseResolvedMiddleware(
    DynamoDBDocumentClient.from(oneSigner(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  ),
);

export const sfnClient = /* @__PURE__ */ once(() => oneSigner(new SFNClient({ cacheMiddleware: true })));

export const smsClient = /* @__PURE__ */ once(() =>
  oneSigner(new PinpointSMSVoiceV2Client({ cacheMiddleware: true })),
);

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
