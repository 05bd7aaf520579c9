import { ArnFormat, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { HandlerFunction, HandlerName } from './handler-function';
import { ROUND_PREFIX, type RoundBucket } from './round-bucket';

type RoundFile = 'upload.csv' | 'valid.csv';

interface FileGrant {
  readonly actions: string[];
  readonly files: RoundFile[];
}

/**
 * What each round function may do with the round files, and nothing more. Multipart uploads
 * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload) are authorised by s3:PutObject; a
 * failed multipart write needs s3:AbortMultipartUpload to clean up its parts.
 */
const GRANTS: Partial<Record<HandlerName, FileGrant[]>> = {
  // Signs the presigned PUT URL of the caller's upload: the URL carries this role's permission.
  'create-round': [{ actions: ['s3:PutObject'], files: ['upload.csv'] }],
  // HeadObject (is there an upload?) is authorised by s3:GetObject.
  'start-round': [{ actions: ['s3:GetObject'], files: ['upload.csv'] }],
  'round-validate': [
    { actions: ['s3:GetObject'], files: ['upload.csv'] },
    { actions: ['s3:PutObject', 's3:AbortMultipartUpload'], files: ['valid.csv'] },
  ],
  'round-finish': [{ actions: ['s3:DeleteObject'], files: ['upload.csv', 'valid.csv'] }],
};

/** ROUND_BUCKET and the least-privilege S3 policies of the round functions. */
export function grantRoundFiles(rounds: RoundBucket, fns: Record<HandlerName, HandlerFunction>): void {
  const stack = Stack.of(rounds);
  const bucketId = stack.getLogicalId(rounds.bucket.node.defaultChild as CfnElement);
  for (const [name, grants] of Object.entries(GRANTS) as [HandlerName, FileGrant[]][]) {
    const fn = fns[name];
    fn.addEnvironment('ROUND_BUCKET', rounds.bucket.bucketName);
    const statements = grants.map(
      (g) => new PolicyStatement({ actions: g.actions, resources: g.files.map((f) => rounds.filesArn(f)) }),
    );
    if (name === 'start-round') {
      // Without ListBucket, S3 answers HeadObject on a missing key with 403 instead of 404, and
      // start-round could not tell "no upload yet" (409 UPLOAD_MISSING) from a real denial.
      statements.push(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [rounds.bucket.bucketArn] }),
      );
    }
    const policy = new Policy(fn, 'RoundFiles', { roles: [fn.executionRole], statements });
    for (const file of new Set(grants.flatMap((g) => g.files))) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ROUND_PREFIX}*/${file}]`,
        reason: `The ${file} file of any round (rounds/<roundId>/${file}): the round id is known only at runtime; no other object of the bucket.`,
      });
    }
  }
}

/** ROUND_STATE_MACHINE_ARN for start-round and the right to start that one machine. */
export function grantRoundStart(fn: HandlerFunction, machineName: string): void {
  const arn = Stack.of(fn).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: machineName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addEnvironment('ROUND_STATE_MACHINE_ARN', arn);
  new Policy(fn, 'StartRound', {
    roles: [fn.executionRole],
    statements: [new PolicyStatement({ actions: ['states:StartExecution'], resources: [arn] })],
  });
}
