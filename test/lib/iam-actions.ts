// The IAM actions behind the AWS SDK values the functions use, by package. An SDK value the table does
// not know is reported as unknown, so a new kind of call fails the least-privilege test until its
// actions are written down here (never silently ignored).

export interface SdkCall {
  readonly actions: string[];
  /** Set when the value is an SDK call this table cannot map. */
  readonly unknown?: string;
}

/** lib-dynamodb's document commands are the DynamoDB operations of the same name with `Item`. */
const DOCUMENT_COMMANDS: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  PutCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  // TransactWrite/TransactGet are authorised per contained operation, which the command alone does not say.
};

/**
 * S3 operations whose IAM action has another name (Service Authorization Reference, Amazon S3):
 * HeadObject is authorised by s3:GetObject, and without s3:ListBucket S3 answers a missing key with
 * 403 instead of 404; the multipart operations are authorised by s3:PutObject.
 */
const S3_COMMANDS: Record<string, string[]> = {
  HeadObjectCommand: ['s3:GetObject', 's3:ListBucket'],
  CreateMultipartUploadCommand: ['s3:PutObject'],
  UploadPartCommand: ['s3:PutObject'],
  CompleteMultipartUploadCommand: ['s3:PutObject'],
  ListObjectsV2Command: ['s3:ListBucket'],
};

/** Client packages whose `XCommand` is the action `prefix:X`. */
const CLIENT_PREFIXES: Record<string, string> = {
  'client-dynamodb': 'dynamodb',
  'client-sfn': 'states',
  'client-s3': 's3',
  'client-pinpoint-sms-voice-v2': 'sms-voice',
  'client-secrets-manager': 'secretsmanager',
  'client-sns': 'sns',
  'client-sqs': 'sqs',
  'client-cloudwatch': 'cloudwatch',
};

/** The SDK call a value names, from the file that declares it; undefined for values that call nothing. */
export function sdkCall(declarationFile: string, name: string): SdkCall | undefined {
  const sdk = /\/node_modules\/@aws-sdk\/([^/]+)\//.exec(declarationFile)?.[1];
  if (sdk) return awsSdk(sdk, name, declarationFile);
  return undefined;
}

function awsSdk(pkg: string, name: string, file: string): SdkCall | undefined {
  // The document commands' base class: naming it (to tell a command apart, reused-middleware.ts) calls nothing.
  if (pkg === 'lib-dynamodb' && name === 'DynamoDBDocumentClientCommand') return undefined;
  if (name.endsWith('Command')) {
    if (pkg === 'lib-dynamodb') {
      const actions = DOCUMENT_COMMANDS[name];
      return actions ? { actions } : { actions: [], unknown: `@aws-sdk/lib-dynamodb ${name}` };
    }
    const prefix = CLIENT_PREFIXES[pkg];
    if (!prefix) return { actions: [], unknown: `@aws-sdk/${pkg} ${name}` };
    if (pkg === 'client-s3' && S3_COMMANDS[name]) return { actions: S3_COMMANDS[name] };
    return { actions: [`${prefix}:${name.slice(0, -'Command'.length)}`] };
  }
  // The presigner signs a command built next to it, which carries the action.
  if (pkg === 's3-request-presigner' && name === 'getSignedUrl') return { actions: [] };
  // An aggregated client (`new S3()`, `DynamoDBDocument`) is declared in a file of its own name and calls
  // operations as methods, which this reading cannot see: the project uses commands only.
  const base = /([^/]+)\.d\.ts$/.exec(file)?.[1];
  if (base === name && !name.endsWith('Client')) return { actions: [], unknown: `@aws-sdk/${pkg} ${name}` };
  return undefined;
}
