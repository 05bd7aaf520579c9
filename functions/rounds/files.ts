import { s3Client } from '../shared/clients';
import { requireEnv } from '../shared/env';
import type { RoundFiles } from './ports';
import { S3RoundFiles } from './s3-round-files';

// The round bucket every round handler uses; a function deployed without ROUND_BUCKET fails at init.
const bucket = requireEnv('ROUND_BUCKET');

export const roundFiles: RoundFiles = new S3RoundFiles(s3Client(), bucket);
