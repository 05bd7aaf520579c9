/**
 * What the local DynamoDB checks before dynalite sees a request: the caller's IAM permission for the
 * operation on the table or index (with dynamodb:LeadingKeys, the partition keys the request touches,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html), and the
 * faults LOCAL_FAULTS injects. Refusals have DynamoDB's error shapes (AWS JSON 1.0):
 * AccessDeniedException (400), ProvisionedThroughputExceededException / ThrottlingException (400),
 * InternalServerError (500). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultRates } from './fault-rates';
import type { AccessCheck, LocalIam } from './iam';
import { deniedCall, type Refusal, refusal } from './json10-refusal';
import { ACCOUNT, REGION } from './names';

type Obj = Record<string, unknown>;
type Keys = { table: string[]; indexes: Map<string, string> };

export interface DynamoGateSetup {
  iam?: LocalIam;
  rates?: FaultRates;
  /** Partition key attribute of each table, and of each of its indexes. */
  keys: Map<string, Keys>;
}

const THROTTLES = [
  refusal(
    400,
    'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html',
  ),
  refusal(
    400,
    'com.amazon.coral.availability#ThrottlingException',
    'Rate of requests exceeds the allowed throughput.',
  ),
];

const tableName = (v: unknown) => String(v ?? '').replace(/^arn:aws:dynamodb:[^:]*:\d*:table\//, '');
const tableArn = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const scalar = (v: unknown) => {
  const value = Object.values((v ?? {}) as Obj)[0];
  return value === undefined ? undefined : String(value);
};

/** The partition key value a key condition fixes (`#pk = :v` or `pk = :v`, or KeyConditions). */
function queriedKey(input: Obj, attribute: string): string | undefined {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Obj;
  const expression = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : '';
  for (const m of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    const name = (m[1] as string).startsWith('#') ? names[m[1] as string] : m[1];
    if (name === attribute) return scalar(values[m[2] as string]);
  }
  const legacy = (input.KeyConditions as Record<string, { AttributeValueList?: unknown[] }> | undefined)?.[
    attribute
  ];
  return scalar(legacy?.AttributeValueList?.[0]);
}

/** The partition key attribute of `table`, or of its index `index`. */
function partitionAttribute(keys: Map<string, Keys>, table: string, index?: string) {
  return index ? keys.get(table)?.indexes.get(index) : keys.get(table)?.table[0];
}

/** dynamodb:LeadingKeys of the items (or keys) a request writes or reads in `table`. */
function leadingKeys(keys: Map<string, Keys>, table: string, items: unknown[]) {
  const attribute = partitionAttribute(keys, table);
  const values = items
    .map((item) => scalar((item as Obj | undefined)?.[attribute ?? '']))
    .filter((v) => v !== undefined);
  return values.length
    ? new Map([['dynamodb:leadingkeys', values as string[]]])
    : new Map<string, string[]>();
}

/** dynamodb:Select and dynamodb:ReturnValues, when the request gives them. */
function withOptions(input: Obj, context: Map<string, string[]>) {
  if (typeof input.Select === 'string') context.set('dynamodb:select', [input.Select]);
  if (typeof input.ReturnValues === 'string') context.set('dynamodb:returnvalues', [input.ReturnValues]);
  return context;
}

/**
 * The IAM checks of one DynamoDB request. (The helpers above are functions of their own, not closures
 * made here: the local runtime runs under tsx, whose keepNames names each closure made, per request.)
 */
export function dynamoChecks(operation: string, input: Obj, keys: Map<string, Keys>): AccessCheck[] {
  const action = `dynamodb:${operation}`;
  const table = tableName(input.TableName);
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [
        {
          action,
          resource: tableArn(table),
          context: withOptions(input, leadingKeys(keys, table, [input.Key])),
        },
      ];
    case 'PutItem':
      return [
        {
          action,
          resource: tableArn(table),
          context: withOptions(input, leadingKeys(keys, table, [input.Item])),
        },
      ];
    case 'Query':
    case 'Scan': {
      const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
      const resource = index ? `${tableArn(table)}/index/${index}` : tableArn(table);
      const attribute = partitionAttribute(keys, table, index);
      const value = operation === 'Query' && attribute ? queriedKey(input, attribute) : undefined;
      const context = value === undefined ? new Map() : new Map([['dynamodb:leadingkeys', [value]]]);
      return [{ action, resource, context: withOptions(input, context) }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.entries((input.RequestItems ?? {}) as Obj).map(([name, request]) => {
        const items =
          operation === 'BatchGetItem'
            ? ((request as { Keys?: unknown[] }).Keys ?? [])
            : ((request ?? []) as Obj[]).map(
                (r) => (r.PutRequest as Obj)?.Item ?? (r.DeleteRequest as Obj)?.Key,
              );
        return {
          action,
          resource: tableArn(tableName(name)),
          context: leadingKeys(keys, tableName(name), items),
        };
      });
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as Obj[]).map((item) => {
        const [kind, body] = Object.entries(item)[0] as [string, Obj];
        const per: Record<string, string> = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
          Get: 'GetItem',
        };
        const name = tableName(body.TableName);
        return {
          action: `dynamodb:${per[kind] ?? kind}`,
          resource: tableArn(name),
          context: leadingKeys(keys, name, [body.Key ?? body.Item]),
        };
      });
    case 'ListTables':
      return [{ action, resource: '*' }];
    default:
      return [{ action, resource: tableArn(table) }];
  }
}

/** A refusal for the request, or undefined to let dynalite serve it. `housekeeping`: the runtime's own. */
export function gateDynamo(
  setup: DynamoGateSetup,
  headers: IncomingHttpHeaders,
  body: Buffer,
  housekeeping: boolean,
): Refusal | undefined {
  if (housekeeping) return undefined;
  const operation = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
  const denied = deniedCall(setup.iam, headers, body, (input) => dynamoChecks(operation, input, setup.keys));
  if (denied) return refusal(400, 'com.amazon.coral.service#AccessDeniedException', denied, true);
  if (setup.rates?.roll('dynamodb.throttle')) return setup.rates.pick('dynamodb.throttle', THROTTLES);
  if (setup.rates?.roll('dynamodb.error'))
    return refusal(500, 'com.amazonaws.dynamodb.v20120810#InternalServerError', 'Internal server error');
  return undefined;
}
