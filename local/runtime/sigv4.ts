/**
 * Who signed a request: the access key id of its Signature Version 4 credential, from the
 * Authorization header or, for a presigned URL, the X-Amz-Credential query parameter.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
import type { IncomingHttpHeaders } from 'node:http';

const HEADER = /Credential=([^/,\s]+)\//;

export function signedAccessKey(headers: IncomingHttpHeaders, url = ''): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') return HEADER.exec(authorization)?.[1];
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const credential = new URLSearchParams(url.slice(query + 1)).get('X-Amz-Credential');
  return credential?.split('/')[0] || undefined;
}
