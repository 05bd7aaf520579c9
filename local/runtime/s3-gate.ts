/**
 * What the local S3 checks before s3rver sees a request: the signer's IAM permission for the
 * operation on the bucket or object (a presigned URL carries the permission of whoever signed it),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html. A refusal is
 * S3's 403 AccessDenied (an XML error body; none for HEAD). As on S3, reading a missing object without
 * s3:ListBucket on its bucket is answered 403, not 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AccessCheck, LocalIam } from './iam';
import { signedAccessKey } from './sigv4';

/** The IAM checks of one S3 request (path-style URL: /bucket/key?query). */
export function s3Checks(method: string, url: string, body: Buffer): AccessCheck[] {
  const [path = '/', query = ''] = url.split('?');
  const [bucket = '', ...rest] = decodeURIComponent(path.slice(1)).split('/');
  const key = rest.join('/');
  const params = new URLSearchParams(query);
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  const on = (action: string, resource: string): AccessCheck => ({ action: `s3:${action}`, resource });
  if (!key) {
    if (method === 'POST' && params.has('delete')) {
      const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] as string);
      return keys.map((k) => on('DeleteObject', `${bucketArn}/${k}`));
    }
    if (method === 'GET' && params.has('location')) return [on('GetBucketLocation', bucketArn)];
    if (method === 'GET' && params.has('uploads')) return [on('ListBucketMultipartUploads', bucketArn)];
    if (method === 'GET' || method === 'HEAD') {
      const prefix = params.get('prefix');
      return [
        {
          ...on('ListBucket', bucketArn),
          ...(prefix === null ? {} : { context: new Map([['s3:prefix', [prefix]]]) }),
        },
      ];
    }
    if (method === 'PUT') return [on('CreateBucket', bucketArn)];
    if (method === 'DELETE') return [on('DeleteBucket', bucketArn)];
    return [on('ListBucket', bucketArn)];
  }
  if (method === 'DELETE')
    return [on(params.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject', objectArn)];
  if (method === 'GET' && params.has('uploadId')) return [on('ListMultipartUploadParts', objectArn)];
  if (method === 'GET' || method === 'HEAD') return [on('GetObject', objectArn)];
  return [on('PutObject', objectArn)]; // PUT, and the multipart upload's POSTs and part PUTs
}

export interface S3GateSetup {
  iam: LocalIam;
  /** s3rver's folder: whether an object exists. */
  directory: string;
}

/** Answers the request with S3's refusal and returns true, or returns false to let s3rver serve it. */
export function gateS3(setup: S3GateSetup, req: IncomingMessage, body: Buffer, res: ServerResponse): boolean {
  const principal = setup.iam.principal(signedAccessKey(req.headers, req.url));
  if (!principal) return false;
  const method = req.method ?? 'GET';
  const checks = s3Checks(method, req.url ?? '/', body);
  let verdict = setup.iam.check(principal, checks, { quoteResource: true });
  const read = checks[0];
  if (
    verdict.allowed &&
    read?.action === 's3:GetObject' &&
    !existsSync(objectPath(setup.directory, read.resource))
  ) {
    // A missing object: 404 only for who may list the bucket.
    const bucket = read.resource.replace(/^(arn:aws:s3:::[^/]+).*$/, '$1');
    verdict = setup.iam.check(principal, [{ action: 's3:ListBucket', resource: bucket }], {
      quoteResource: true,
    });
  }
  if (verdict.allowed) return false;
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  if (method === 'HEAD') {
    res.end();
    return true;
  }
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${escapeXml(verdict.message)}</Message><RequestId>${requestId}</RequestId><HostId>${randomBytes(48).toString('base64')}</HostId></Error>`,
  );
  return true;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function objectPath(directory: string, arn: string): string {
  const [bucket = '', ...key] = arn.slice('arn:aws:s3:::'.length).split('/');
  const name = key.pop() ?? '';
  return join(directory, bucket, ...key, `${name}._S3rver_object`);
}
