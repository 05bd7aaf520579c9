/**
 * Task resources. The engine only knows the `TaskResolver` interface; the host plugs in what
 * actually runs: a Lambda `invoke` function, a DynamoDB client, or its own resolver for any other
 * resource. Results and errors are shaped like the Step Functions service integrations.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isObject, type Json } from '../language/json';
import { isLambdaArn } from '../language/resource-arns';
import { StatesError } from '../language/states-errors';

export interface TaskCall {
  /** The Resource without the `.waitForTaskToken` / `.sync` suffix. */
  resource: string;
  parameters: Json;
  /** Set for `.waitForTaskToken` tasks (also visible as `$$.Task.Token`). */
  token?: string;
  executionArn: string;
  stateName: string;
}

/** Returns a handler for a resource, or undefined if this resolver does not know it. */
export type TaskResolver = (resource: string) => ((call: TaskCall) => Promise<Json>) | undefined;

export interface TaskHost {
  /** Invoke a Lambda function with a payload; throw to report a function error. */
  invoke?: (functionArn: string, payload: Json) => Promise<unknown>;
  dynamodb?: DynamoDBClient;
  /** Extra resolvers, consulted before the built-in ones. */
  resolvers?: TaskResolver[];
}

/** The error a Lambda function raised, as Step Functions reports it. */
export function lambdaError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name.startsWith('Lambda.')) return new StatesError(err.name, err.message);
  const trace = (err.stack ?? '').split('\n').map((l) => l.trim());
  const errorType = err.name || 'Error';
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage: err.message, trace }));
}

function normalise(v: unknown): Json {
  return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Json);
}

export function builtinResolver(host: TaskHost): TaskResolver {
  return (resource) => {
    const invoke = host.invoke;
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (call) => {
        if (!invoke) throw new StatesError('Lambda.ServiceException', 'No Lambda invoker configured');
        const p = isObject(call.parameters) ? call.parameters : {};
        if (typeof p.FunctionName !== 'string') {
          throw new StatesError('States.Runtime', "The field 'FunctionName' is required for lambda:invoke");
        }
        let payload: unknown;
        try {
          payload = await invoke(p.FunctionName, p.Payload ?? null);
        } catch (e) {
          throw lambdaError(e);
        }
        const requestId = randomUUID();
        return {
          ExecutedVersion: '$LATEST',
          Payload: normalise(payload),
          SdkHttpMetadata: {
            HttpHeaders: {
              'Content-Type': 'application/json',
              'X-Amz-Executed-Version': '$LATEST',
              'x-amzn-RequestId': requestId,
            },
            HttpStatusCode: 200,
          },
          SdkResponseMetadata: { RequestId: requestId },
          StatusCode: 200,
        };
      };
    }
    if (isLambdaArn(resource)) {
      return async (call) => {
        if (!invoke) throw new StatesError('Lambda.ServiceException', 'No Lambda invoker configured');
        try {
          return normalise(await invoke(resource, call.parameters));
        } catch (e) {
          throw lambdaError(e);
        }
      };
    }
    const ddb = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/.exec(resource);
    if (ddb) return (call) => dynamo(host, ddb[1] as string, call.parameters);
    return undefined;
  };
}

async function dynamo(host: TaskHost, op: string, params: Json): Promise<Json> {
  if (!host.dynamodb)
    throw new StatesError('DynamoDB.AmazonDynamoDBException', 'No DynamoDB client configured');
  const input = (isObject(params) ? params : {}) as never;
  const command =
    op === 'getItem'
      ? new GetItemCommand(input)
      : op === 'putItem'
        ? new PutItemCommand(input)
        : op === 'updateItem'
          ? new UpdateItemCommand(input)
          : new DeleteItemCommand(input);
  try {
    const out = (await host.dynamodb.send(command as never)) as unknown as Record<string, unknown>;
    const { $metadata: _m, ...rest } = out;
    return normalise(rest);
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
    // No HTTP answer at all (a reset or timed-out connection): Step Functions' own SDK client
    // reports that as <Service>.SdkClientException, never as the JavaScript SDK's error names.
    if (err.$metadata?.httpStatusCode === undefined)
      throw new StatesError('DynamoDB.SdkClientException', `Unable to execute HTTP request: ${err.message}`);
    const code = err.name && err.name !== 'Error' ? err.name : 'AmazonDynamoDBException';
    const status = err.$metadata.httpStatusCode;
    throw new StatesError(
      `DynamoDB.${code}`,
      `${err.message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${code}; Request ID: ${err.$metadata?.requestId ?? randomUUID()}; Proxy: null)`,
    );
  }
}
