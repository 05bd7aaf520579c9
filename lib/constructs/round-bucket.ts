import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface RoundBucketProps {
  /**
   * Production: RETAIN, so that a stack update never drops a round's file while it is being started.
   * Otherwise the buckets are emptied and deleted with the stack (a dev stage tears down completely).
   */
  readonly protect: boolean;
  /** Every object under rounds/ expires after this many days (context roundFileDays, default 3). */
  readonly fileDays?: number;
  /** Server access logs are kept this many days. */
  readonly accessLogDays: number;
}

/** The key prefix of every round file (functions/rounds/model.ts `roundKeys`). */
export const ROUND_PREFIX = 'rounds/';

/**
 * The round uploads (`rounds/<roundId>/upload.csv`, the caller's file) and the validated rows
 * (`rounds/<roundId>/valid.csv`). Both hold personal data (names, phone numbers, e-mail addresses):
 * private, TLS only, encrypted at rest, and short-lived. round-finish deletes both once the cases
 * exist; the lifecycle rule is the safety net for rounds that are never started or that fail.
 *
 * Encryption is S3-managed (SSE-S3, AES-256), like the case table's default encryption, rather than
 * a customer managed KMS key: the files live for minutes to days, access is already limited by IAM
 * to four functions and the round state machine, and a KMS key would add kms:GenerateDataKey and
 * kms:Decrypt grants to each of them (including the presigned upload's signer) and a per-request
 * charge, without a key policy that would restrict anyone IAM does not already restrict.
 */
export class RoundBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly fileDays: number;

  constructor(scope: Construct, id: string, props: RoundBucketProps) {
    super(scope, id);
    const fileDays = props.fileDays ?? 3;
    if (!Number.isInteger(fileDays) || fileDays < 1)
      throw new Error(`round file expiry: a whole number of days >= 1 (${fileDays})`);
    this.fileDays = fileDays;
    const removalPolicy = props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const common = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      // ACLs off: the bucket owner owns every object, access is decided by IAM and the bucket policy only.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      // CDK's custom resource empties the bucket before CloudFormation deletes it (dev stages only).
      autoDeleteObjects: !props.protect,
    };
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogDays) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access log bucket of the round bucket; logging its own access would log into itself.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'round-bucket/',
      lifecycleRules: [
        { id: 'expire-round-files', prefix: ROUND_PREFIX, expiration: Duration.days(fileDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /** The ARN pattern of one kind of round file, e.g. `upload.csv` -> `<bucket arn>/rounds/*\/upload.csv`. */
  filesArn(file: 'upload.csv' | 'valid.csv'): string {
    return this.bucket.arnForObjects(`${ROUND_PREFIX}*/${file}`);
  }
}
