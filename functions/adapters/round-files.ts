import type { RoundFiles } from '../domain/round-ports';
import { s3Client } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { S3RoundFiles } from './s3-files';

// The round bucket every round handler uses; a function deployed without ROUND_BUCKET fails at init.
const bucket = requireEnv('ROUND_BUCKET');

export const roundFiles: RoundFiles = new S3RoundFiles(s3Client(), bucket);
