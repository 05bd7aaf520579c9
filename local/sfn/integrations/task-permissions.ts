/**
 * IAM for service integrations: what a Task's integration call asks of the state machine's role,
 * and how AWS reports a denial. The host decides (EngineOptions.authorize); the engine asks before
 * every call it makes on the role's behalf and, when denied, fails the task without calling.
 *
 * How a denial looks in an AWS execution history: the Task fails with the Java SDK exception
 * class of the called service as its error (AccessDenied has no class of its own in those SDKs),
 * and a cause that is AWS's AccessDenied message plus the SDK's suffix, e.g. recorded in
 * awslabs/aws-deployment-framework#460 and aws-samples/lambda-refarch-imagerecognition#19:
 *   error "Lambda.AWSLambdaException", cause "User: arn:aws:sts::…:assumed-role/… is not authorized
 *   to perform: lambda:InvokeFunction on resource: arn:aws:lambda:…:function:… because no
 *   identity-based policy allows the lambda:InvokeFunction action (Service: AWSLambda; Status
 *   Code: 403; Error Code: AccessDeniedException; Request ID: …; Proxy: null)".
 * The States Language's `States.Permissions` is not what integrations report, so it is not used.
 */
import { randomUUID } from 'node:crypto';
import { isObject, type Json } from '../language/json';
import { isLambdaArn } from '../language/resource-arns';
import { StatesError } from '../language/states-errors';

/** One call a state machine's integration makes with its role (the issue 10 contract). */
export interface IntegrationCall {
  roleArn: string;
  executionArn: string;
  stateName: string;
  /** The IAM action, e.g. `lambda:InvokeFunction`, `dynamodb:UpdateItem`, `states:StartExecution`. */
  action: string;
  /** The ARN acted on (function, table, state machine, `arn:aws:s3:::bucket/key`). */
  resource: string;
}

export type AccessDecision = { allowed: true } | { allowed: false; message: string };

export type Authorize = (call: IntegrationCall) => AccessDecision;

export interface Permission {
  action: string;
  resource: string;
  /** The task's error for a denial with AWS's AccessDenied `message`. */
  denied(message: string): StatesError;
}

/** The service's SDK suffix on an error message, as Step Functions' causes carry it. */
function sdkCause(message: string, service: string, status: number): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: AccessDeniedException; Request ID: ${randomUUID()}; Proxy: null)`;
}

/** A function name, partial ARN or ARN (with a qualifier or not) as the ARN IAM evaluates. */
function functionArn(name: string, region: string, account: string): string {
  if (name.startsWith('arn:')) return name;
  if (name.includes(':function:')) return `arn:aws:lambda:${region}:${name}`;
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

const lambdaDenied = (message: string) =>
  new StatesError('Lambda.AWSLambdaException', sdkCause(message, 'AWSLambda', 403));

const DYNAMODB_ACTIONS: Record<string, string> = {
  getItem: 'GetItem',
  putItem: 'PutItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
};

/**
 * The permission a call needs, or undefined for resources the engine does not know (a host's own
 * resolvers check their own calls). `base` is the Resource without its pattern suffix;
 * `executionArn` gives the region and account of the names the parameters use.
 */
export function permissionFor(base: string, parameters: Json, executionArn: string): Permission | undefined {
  const [, , , region = '', account = ''] = executionArn.split(':');
  const p = isObject(parameters) ? parameters : {};
  if (base === 'arn:aws:states:::lambda:invoke') {
    if (typeof p.FunctionName !== 'string') return undefined; // the integration reports it
    const resource = functionArn(p.FunctionName, region, account);
    return { action: 'lambda:InvokeFunction', resource, denied: lambdaDenied };
  }
  if (isLambdaArn(base)) return { action: 'lambda:InvokeFunction', resource: base, denied: lambdaDenied };
  const dynamodb = /^arn:aws:states:::dynamodb:(\w+)$/.exec(base);
  const operation = dynamodb && DYNAMODB_ACTIONS[dynamodb[1] as string];
  if (operation) {
    const table = typeof p.TableName === 'string' ? p.TableName : '';
    return {
      action: `dynamodb:${operation}`,
      resource: table.startsWith('arn:') ? table : `arn:aws:dynamodb:${region}:${account}:table/${table}`,
      denied: (message) =>
        new StatesError('DynamoDB.AmazonDynamoDBException', sdkCause(message, 'AmazonDynamoDBv2', 400)),
    };
  }
  if (base === 'arn:aws:states:::states:startExecution') {
    return {
      action: 'states:StartExecution',
      resource: String(p.StateMachineArn ?? ''),
      denied: (message) =>
        new StatesError(
          'StepFunctions.AWSStepFunctionsException',
          sdkCause(message, 'AWSStepFunctions', 400),
        ),
    };
  }
  return undefined;
}
