import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement as Statement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  CsvHeaders,
  type IItemReader,
  JsonPath,
  type QueryLanguage,
  S3CsvItemReader,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { RoundBucket } from '../round-bucket';

/**
 * The Distributed Map's reader of `rounds/<roundId>/valid.csv` (header row first). It renders as
 * CDK's S3CsvItemReader, but grants s3:GetObject on the valid.csv files only, where CDK's reader
 * grants every object of the bucket (including the callers' unvalidated uploads).
 */
export class ValidRowsReader implements IItemReader {
  private readonly inner: S3CsvItemReader;

  constructor(private readonly rounds: RoundBucket) {
    this.inner = new S3CsvItemReader({
      bucket: rounds.bucket,
      key: JsonPath.format('rounds/{}/valid.csv', JsonPath.stringAt('$.roundId')),
      csvHeaders: CsvHeaders.useFirstRow(),
    });
  }

  get bucket(): IBucket {
    return this.inner.bucket;
  }

  get resource(): string {
    return this.inner.resource;
  }

  render(queryLanguage?: QueryLanguage): unknown {
    return this.inner.render(queryLanguage);
  }

  providePolicyStatements(): PolicyStatement[] {
    return [new Statement({ actions: ['s3:GetObject'], resources: [this.rounds.filesArn('valid.csv')] })];
  }

  validateItemReader(): string[] {
    return this.inner.validateItemReader();
  }
}
