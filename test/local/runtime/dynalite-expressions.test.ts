import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cachedParser,
  dynaliteParsers,
  type ExpressionParser,
} from '../../../local/runtime/dynalite-expressions';
import { openStore, type Store } from '../../../local/runtime/dynamo-store';
import { createThings, dynamoRequest } from './dynamo-request';

// dynalite parses each distinct expression once per names and value types (dynalite-expressions.ts).
// Every request must still validate and parse to exactly what dynalite's own parsers give it, with its
// own values in the tree.

type Kind = 'condition' | 'update' | 'projection';
type Data = Record<string, unknown>;
type Validate = (data: Data) => string | undefined;

const parsers = dynaliteParsers();
const kinds = Object.keys(parsers) as Kind[];
const originals = Object.fromEntries(kinds.map((kind) => [kind, parsers[kind].parse])) as Record<
  Kind,
  ExpressionParser['parse']
>;
const validateExpressions = (
  createRequire(require.resolve('dynalite'))('./validations') as { validateExpressions: Validate }
).validateExpressions;

/** Runs dynalite's own expression validation with `use` as its parsers (dynalite's own when undefined). */
function validate(use: Record<Kind, ExpressionParser> | undefined, data: Data) {
  for (const kind of kinds) parsers[kind].parse = use ? use[kind].parse : originals[kind];
  try {
    const error = validateExpressions(data);
    const { _updates, _condition, _keyCondition, _filter, _projection } = data;
    return { error, trees: { _updates, _condition, _keyCondition, _filter, _projection } };
  } finally {
    for (const kind of kinds) parsers[kind].parse = originals[kind];
  }
}

/** A fresh cache over dynalite's parsers, counting the parses that reach them. */
function cached() {
  const counts = { parses: 0 };
  const use = Object.fromEntries(
    kinds.map((kind) => [
      kind,
      cachedParser({
        parse: (input, options) => {
          counts.parses++;
          return originals[kind].call(parsers[kind], input, options);
        },
      }),
    ]),
  ) as Record<Kind, ExpressionParser>;
  return { use, counts };
}

const s = (value: string) => ({ S: value });
const n = (value: number) => ({ N: String(value) });

/** Requests in pairs: the same expressions and value types, other values. */
const requests: Record<string, (i: number) => Data> = {
  'a step answered: SET and REMOVE under a condition': (i) => ({
    UpdateExpression: 'SET #status = :done, #data = :data, updatedAt = :now REMOVE gsi1pk, gsi1sk',
    ConditionExpression: '#status = :open AND taskToken = :token',
    ExpressionAttributeNames: { '#status': 'status', '#data': 'dataEnc' },
    ExpressionAttributeValues: {
      ':done': s('DONE'),
      ':data': { M: { sealed: s(`box-${i}`), at: n(i) } },
      ':now': s(`2026-12-0${i}T10:00:00Z`),
      ':open': s('OPEN'),
      ':token': s(`token-${i}`),
    },
  }),
  'counters: ADD, arithmetic, if_not_exists and list_append': (i) => ({
    UpdateExpression:
      'ADD visits :one, #h :one SET waited = if_not_exists(waited, :zero) + :w, #log = list_append(if_not_exists(#log, :empty), :entries)',
    ExpressionAttributeNames: { '#h': `h${i}`, '#log': 'log' },
    ExpressionAttributeValues: {
      ':one': n(1),
      ':zero': n(0),
      ':w': n(i * 7),
      ':empty': { L: [] },
      ':entries': { L: [s(`e${i}`)] },
    },
  }),
  'functions, IN, size and a nested path': (i) => ({
    ConditionExpression:
      'attribute_not_exists(pk) OR (#s IN (:a, :b) AND size(#l) > :n AND begins_with(#m.#k[0], :prefix))',
    ExpressionAttributeNames: { '#s': 'status', '#l': 'list', '#m': 'meta', '#k': 'keys' },
    ExpressionAttributeValues: { ':a': s('A'), ':b': s(`B${i}`), ':n': n(i), ':prefix': s(`p${i}`) },
  }),
  'a query: key condition, filter and projection': (i) => ({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :step)',
    FilterExpression: 'contains(#tags, :tag) AND NOT #gone = :yes',
    ProjectionExpression: '#s, steps[0].id, #m.#k',
    ExpressionAttributeNames: {
      '#tags': 'tags',
      '#gone': 'gone',
      '#s': 'status',
      '#m': 'meta',
      '#k': 'keys',
    },
    ExpressionAttributeValues: {
      ':pk': s(`CASE#${i}`),
      ':step': s('STEP#'),
      ':tag': s(`t${i}`),
      ':yes': { BOOL: true },
    },
  }),
  'BETWEEN (its bounds are compared)': (i) => ({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': s('CASE#1'), ':from': s(`EVENT#${i}`), ':to': s('EVENT$') },
  }),
  'attribute_type (its type name is read)': (i) => ({
    ConditionExpression: 'attribute_type(#x, :t)',
    ExpressionAttributeNames: { '#x': 'x' },
    ExpressionAttributeValues: { ':t': s(i === 1 ? 'S' : 'N') },
  }),
  'a name that is not defined': (i) => ({
    ConditionExpression: '#nope = :v',
    ExpressionAttributeValues: { ':v': s(`v${i}`) },
  }),
  'a value that is not used': (i) => ({
    ConditionExpression: 'a = :v',
    ExpressionAttributeValues: { ':v': s(`v${i}`), ':spare': n(i) },
  }),
  'a reserved word': (i) => ({
    UpdateExpression: 'SET status = :v',
    ExpressionAttributeValues: { ':v': s(`v${i}`) },
  }),
  'a syntax error': (i) => ({
    ConditionExpression: 'a = = :v',
    ExpressionAttributeValues: { ':v': n(i) },
  }),
  'redundant parentheses': (i) => ({
    ConditionExpression: '((a = :v))',
    ExpressionAttributeValues: { ':v': n(i) },
  }),
  'overlapping paths': (i) => ({
    UpdateExpression: 'SET a.b = :v, a = :w',
    ExpressionAttributeValues: { ':v': n(i), ':w': s('w') },
  }),
  'a BETWEEN the wrong way round, every other request': (i) => ({
    ConditionExpression: 'a BETWEEN :low AND :high',
    ExpressionAttributeValues: { ':low': s(i % 2 ? 'z' : 'a'), ':high': s(i % 2 ? 'a' : 'z') },
  }),
  'attribute_type with a type that is not one, every other request': (i) => ({
    ConditionExpression: 'attribute_type(#x, :t)',
    ExpressionAttributeNames: { '#x': 'x' },
    ExpressionAttributeValues: { ':t': s(i % 2 ? 'SS' : 'X') },
  }),
};

describe("dynalite's expressions, parsed once per names and value types", () => {
  it.each(Object.keys(requests))(
    '%s: the same outcome as without the cache, request after request',
    (name) => {
      const make = requests[name] as (i: number) => Data;
      const { use } = cached();
      for (const i of [1, 2, 3, 2]) {
        const expected = validate(undefined, make(i));
        const got = validate(use, make(i));
        expect(got.error).toBe(expected.error);
        expect(got.trees).toStrictEqual(expected.trees);
      }
    },
  );

  it('parses an expression once, then hands each request a tree of its own values', () => {
    const { use, counts } = cached();
    const make = requests['a step answered: SET and REMOVE under a condition'] as (i: number) => Data;
    validate(use, make(1));
    const parsesOfFirst = counts.parses;
    expect(parsesOfFirst).toBe(2); // the update and the condition
    const second = make(2);
    const { trees } = validate(use, second);
    expect(counts.parses).toBe(parsesOfFirst);
    const values = second.ExpressionAttributeValues as Record<string, unknown>;
    const sets = (trees._updates as { sections: { type: string; path: string[]; val?: unknown }[] }).sections;
    expect(sets.find((set) => set.path[0] === 'dataEnc')?.val).toBe(values[':data']);
    // A request that changes its tree changes nothing for the next one.
    (sets[0] as { val?: unknown }).val = s('tampered');
    const third = validate(use, make(3));
    expect(third.trees).toStrictEqual(validate(undefined, make(3)).trees);
    expect(counts.parses).toBe(parsesOfFirst);
  });

  it('parses again for other names or value types, and every attribute_type as it came', () => {
    const { use, counts } = cached();
    const add = (value: unknown, name = 'n') => ({
      UpdateExpression: 'ADD #n :v',
      ExpressionAttributeNames: { '#n': name },
      ExpressionAttributeValues: { ':v': value },
    });
    expect(validate(use, add(n(1))).error).toBeUndefined();
    const refused = validate(use, add(s('x'))).error;
    expect(refused).toBe(validate(undefined, add(s('x'))).error);
    expect(refused).toMatch(/Incorrect operand type/);
    expect(validate(use, add(n(2), 'm')).error).toBeUndefined();
    expect(counts.parses).toBe(4); // N, S (refused: once more as it came), N under another name
    const type = requests['attribute_type with a type that is not one, every other request'] as (
      i: number,
    ) => Data;
    validate(use, type(1));
    validate(use, type(3));
    expect(counts.parses).toBe(6);
  });

  it("reuses a BETWEEN's tree, checking each request's bounds as dynalite does", () => {
    const { use, counts } = cached();
    const range = (low: unknown, high: unknown) => ({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': s('CASE#1'), ':from': low, ':to': high },
    });
    expect(validate(use, range(s('EVENT#'), s('EVENT$'))).error).toBeUndefined();
    expect(validate(use, range(s('EVENT#1'), s('EVENT#1'))).error).toBeUndefined();
    expect(counts.parses).toBe(1);
    const backwards = validate(use, range(s('EVENT$'), s('EVENT#'))).error;
    expect(backwards).toBe(validate(undefined, range(s('EVENT$'), s('EVENT#'))).error);
    expect(backwards).toMatch(/upper bound to be greater than or equal to lower bound/);
    expect(counts.parses).toBe(2); // the tree, then dynalite's own parse for its message
    const numbers = validate(use, range(n(10), n(9))).error; // numbers compare as numbers
    expect(numbers).toBe(validate(undefined, range(n(10), n(9))).error);
    expect(validate(use, range(n(9), n(10))).error).toBeUndefined();
  });
});

describe('the local DynamoDB, through the cache', () => {
  let store: Store;
  const send = async (target: string, body: unknown) => {
    const reply = await store.serve(dynamoRequest(target, body));
    return { status: reply.status, body: JSON.parse(reply.body) };
  };

  beforeAll(async () => {
    store = await openStore(undefined);
    await createThings(send);
  });

  afterAll(() => store.close());

  it('checks each write against its own values', async () => {
    await send('PutItem', { TableName: 'things', Item: { pk: s('p'), status: s('OPEN'), n: n(0) } });
    const move = (from: string, to: string) =>
      send('UpdateItem', {
        TableName: 'things',
        Key: { pk: s('p') },
        UpdateExpression: 'SET #s = :to ADD #n :one',
        ConditionExpression: '#s = :from',
        ExpressionAttributeNames: { '#s': 'status', '#n': 'n' },
        ExpressionAttributeValues: { ':to': s(to), ':from': s(from), ':one': n(1) },
        ReturnValues: 'ALL_NEW',
      });
    expect((await move('OPEN', 'DONE')).body.Attributes).toEqual({ pk: s('p'), status: s('DONE'), n: n(1) });
    const refused = await move('OPEN', 'DONE');
    expect(refused.body.__type).toMatch(/ConditionalCheckFailedException$/);
    expect((await move('DONE', 'OPEN')).body.Attributes).toEqual({ pk: s('p'), status: s('OPEN'), n: n(2) });
  });
});
