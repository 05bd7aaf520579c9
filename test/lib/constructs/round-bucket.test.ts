import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RoundBucket, type RoundBucketProps } from '../../../lib/constructs/round-bucket';
import { cdkContext } from '../support';

function build(props: Partial<RoundBucketProps> = {}) {
  const app = new App({ context: cdkContext() });
  const stack = new Stack(app, 'rb');
  const rounds = new RoundBucket(stack, 'Rounds', { protect: false, accessLogDays: 30, ...props });
  const id = (c: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(c.node.defaultChild as CfnElement);
  return { template: Template.fromStack(stack), bucketId: id(rounds.bucket), logsId: id(rounds.accessLogs) };
}

const privateBucket = {
  BucketEncryption: {
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  },
  PublicAccessBlockConfiguration: {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  },
  OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  VersioningConfiguration: Match.absent(),
};

describe('RoundBucket', () => {
  it('is encrypted, private, unversioned, and logs access to its own log bucket', () => {
    const { template, logsId } = build();
    template.hasResourceProperties('AWS::S3::Bucket', {
      ...privateBucket,
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'round-bucket/' },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ...privateBucket,
      LifecycleConfiguration: {
        Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 30, Status: 'Enabled' }],
      },
    });
  });

  it('expires round files after roundFileDays and aborts stale multipart uploads after a day', () => {
    const rules = (days?: number) =>
      build(days === undefined ? {} : { fileDays: days }).template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            { Id: 'expire-round-files', Prefix: 'rounds/', ExpirationInDays: days ?? 3, Status: 'Enabled' },
            {
              Id: 'abort-incomplete-uploads',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            },
          ],
        },
      });
    rules();
    rules(7);
    expect(() => build({ fileDays: 0 })).toThrow(/whole number of days/);
    expect(() => build({ fileDays: 1.5 })).toThrow(/whole number of days/);
  });

  it('refuses every request without TLS, on both buckets', () => {
    const { template, bucketId, logsId } = build();
    for (const id of [bucketId, logsId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Resource: [
                { 'Fn::GetAtt': [id, 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] },
              ],
            },
          ]),
        },
      });
    }
  });

  it('lets only S3 log delivery for this bucket write access logs (a bucket policy, no ACLs)', () => {
    const { template, bucketId, logsId } = build();
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, '/round-bucket/*']] },
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ]),
      },
    });
  });

  it('is retained when protect is set, deleted (when empty) otherwise', () => {
    const policies = (protect: boolean) =>
      Object.values(build({ protect }).template.findResources('AWS::S3::Bucket')).map(
        (r) => r.DeletionPolicy,
      );
    expect(policies(true)).toEqual(['Retain', 'Retain']);
    expect(policies(false)).toEqual(['Delete', 'Delete']);
  });
});
