/**
 * dynalite parses every expression of every request (update, condition, key condition, filter,
 * projection) with PEG parsers that also check it: names and values defined and used, operand types,
 * reserved words, overlapping paths. In bench:local that parsing was about 40% of the DynamoDB thread's
 * CPU (perf, 499 Hz), while the functions send a few dozen distinct expressions over and over.
 *
 * A parse depends on the expression, the attribute names and the values' types, and on nothing else of
 * the values, except in two places that read them: BETWEEN compares its bounds, and attribute_type reads
 * its type name. So each expression is parsed once per expression, names and value types, with stand-in
 * values of the same types; later requests get a copy of that tree with their own values put where the
 * stand-ins were, and the names and values it used struck off their context's unused lists, as the
 * parser does. Each BETWEEN's bounds are checked as dynalite checks them, for every request; an
 * attribute_type is parsed as it came every time (the functions use none). Anything refused is parsed
 * again as it came, so errors are dynalite's own.
 */
import { createRequire } from 'node:module';

type AttributeValue = Record<string, unknown>;

export interface ParseContext {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, AttributeValue>;
  unusedAttrNames?: Record<string, unknown>;
  unusedAttrVals?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface ExpressionParser {
  parse(input: string, options: { context: ParseContext }): unknown;
}

/** What one expression, with its names and value types, parsed to, with stand-ins for the values. */
interface Parsed {
  tree: unknown;
  /** The stand-in each value key got, to find them in the tree. */
  standIns: Map<object, string>;
  usedNames: string[];
  usedValues: string[];
}

type Compare = (comparison: 'GT', left: unknown, right: unknown) => boolean;
interface Node {
  type?: unknown;
  args?: unknown[];
}

/** dynalite's order of the type keys (getImmediateType in its parsers): the first one set is the type. */
const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'] as const;

/** Expressions whose check reads a value's content (see above), matched as the grammar does: in any case. */
const READS_VALUE_CONTENT = /attribute_type/i;

/** A stand-in of each type: any content dynalite takes (a BETWEEN of two equal ones is in order). */
const STAND_INS: Record<(typeof TYPES)[number], unknown> = {
  S: 'a',
  N: '0',
  B: 'AA==',
  NULL: true,
  BOOL: false,
  SS: ['a'],
  NS: ['0'],
  BS: ['AA=='],
  L: [],
  M: {},
};

/** Distinct expressions kept at most; past it the cache starts over (the functions send far fewer). */
export const MAX_EXPRESSIONS = 2_000;

/** dynalite's getImmediateType: undefined for a path, a function's result or anything not a value. */
const typeOf = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) && !('attrType' in value && value.attrType)
    ? TYPES.find((type) => (value as AttributeValue)[type] != null)
    : undefined;

/** Wraps `parser` so that it parses each expression once per names and value types (see above). */
export function cachedParser(parser: ExpressionParser): ExpressionParser {
  const cache = new Map<string, Parsed>();
  return {
    parse(input, options) {
      const context = options.context;
      const values = context.attrVals ?? {};
      const key = cacheKey(input, context.attrNames, values);
      if (key === undefined) return parser.parse(input, options);
      let parsed = cache.get(key);
      if (!parsed) {
        parsed = parseWithStandIns(parser, input, context, values);
        // Refused: parsed again as it came, for dynalite's own error.
        if (!parsed) return parser.parse(input, options);
        if (cache.size >= MAX_EXPRESSIONS) cache.clear();
        cache.set(key, parsed);
      }
      const betweens: Node[] = [];
      const tree = withValues(parsed.tree, parsed.standIns, values, new Map(), betweens);
      const compare = context.compare as Compare;
      // Bounds out of order or of two types: dynalite's own parse, for its own message.
      if (!betweens.every((node) => boundsInOrder(node, compare))) return parser.parse(input, options);
      for (const name of parsed.usedNames) delete context.unusedAttrNames?.[name];
      for (const value of parsed.usedValues) delete context.unusedAttrVals?.[value];
      return tree;
    },
  };
}

/** The expression, the names and the types of the values; undefined when the parse reads the values. */
function cacheKey(
  input: string,
  names: Record<string, string> | undefined,
  values: Record<string, AttributeValue>,
): string | undefined {
  if (READS_VALUE_CONTENT.test(input)) return undefined;
  let types = '';
  for (const [name, value] of Object.entries(values)) {
    const type = typeOf(value);
    if (type === undefined) return undefined; // not a value dynalite's validation lets through: no shortcut
    types += `${name}=${type};`;
  }
  return JSON.stringify([input, names ?? null, types]);
}

/** Parses with a stand-in of the same type for each value; undefined if the parser refuses. */
function parseWithStandIns(
  parser: ExpressionParser,
  input: string,
  context: ParseContext,
  values: Record<string, AttributeValue>,
): Parsed | undefined {
  const standIns = new Map<object, string>();
  const attrVals: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = typeOf(value) as (typeof TYPES)[number];
    const standIn = { [type]: STAND_INS[type] };
    standIns.set(standIn, name);
    attrVals[name] = standIn;
  }
  const names = Object.keys(context.attrNames ?? {});
  const unusedAttrNames = Object.fromEntries(names.map((name) => [name, true]));
  const unusedAttrVals = Object.fromEntries(Object.keys(values).map((name) => [name, true]));
  let tree: unknown;
  try {
    tree = parser.parse(input, {
      context: { ...context, attrVals, unusedAttrNames, unusedAttrVals },
    });
  } catch {
    return undefined;
  }
  // dynalite's checks answer with their message rather than throw it: parsed again too.
  if (typeof tree === 'string') return undefined;
  return {
    tree,
    standIns,
    usedNames: names.filter((name) => !Object.hasOwn(unusedAttrNames, name)),
    usedValues: Object.keys(values).filter((name) => !Object.hasOwn(unusedAttrVals, name)),
  };
}

/**
 * A copy of `node` with the request's values where the stand-ins are. Objects keep their prototype
 * (dynalite makes some without one) and an object met twice is copied once, so the copy has the
 * tree's shape exactly, and nothing of the cached tree reaches a request.
 */
function withValues(
  node: unknown,
  standIns: Map<object, string>,
  values: Record<string, AttributeValue>,
  copies: Map<object, unknown>,
  betweens: Node[],
): unknown {
  if (node === null || typeof node !== 'object') return node;
  const valueName = standIns.get(node);
  if (valueName !== undefined) return values[valueName];
  const done = copies.get(node);
  if (done !== undefined) return done;
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    copies.set(node, copy);
    for (const item of node) copy.push(withValues(item, standIns, values, copies, betweens));
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
  copies.set(node, copy);
  for (const [field, value] of Object.entries(node))
    copy[field] = withValues(value, standIns, values, copies, betweens);
  if (copy.type === 'between') betweens.push(copy as Node);
  return copy;
}

/** dynalite's checkBetweenArgs on a request's own bounds: two values of one type, the lower first. */
function boundsInOrder(node: Node, compare: Compare): boolean {
  const [, low, high] = node.args ?? [];
  const lowType = typeOf(low);
  const highType = typeOf(high);
  if (!lowType || !highType) return true;
  return lowType === highType && !compare('GT', low, high);
}

/** dynalite's three expression parsers, as its validations load them. */
export function dynaliteParsers(): Record<'condition' | 'update' | 'projection', ExpressionParser> {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  return {
    condition: fromDynalite('./db/conditionParser'),
    update: fromDynalite('./db/updateParser'),
    projection: fromDynalite('./db/projectionParser'),
  };
}

let installed = false;

/** Has dynalite's validations parse through cachedParser (once per process or thread). */
export function cacheDynaliteExpressions(): void {
  if (installed) return;
  installed = true;
  for (const parser of Object.values(dynaliteParsers())) {
    const original = { parse: parser.parse.bind(parser) };
    parser.parse = cachedParser(original).parse;
  }
}
