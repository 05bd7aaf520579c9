/**
 * The Condition element of an IAM policy statement, decided against a request's context keys, by
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and .../reference_policies_condition-single-vs-multi-valued-context-keys.html:
 * - every operator, and every key under an operator, must hold (AND); the values listed for one key are
 *   alternatives (OR), except for negated operators (StringNotEquals, ArnNotLike...), where the key must
 *   match none of them;
 * - a key that is absent from the request makes a condition false, and a negated one true; `...IfExists`
 *   makes it true; `Null` tests presence;
 * - `ForAnyValue:` holds when some value of a multi-valued key matches (false when there is none),
 *   `ForAllValues:` when every value does (true when there is none).
 */

/** Context keys of a request, lowercased (condition keys are case-insensitive); absent = not in the request. */
export type ContextKeys = Map<string, string[]>;

type Match = (actual: string, expected: string) => boolean;

/**
 * Compiled wildcard patterns by flags and pattern. The patterns are the policies' own (Resource,
 * ArnLike, StringLike values), a small set, but every request tested them again, building a RegExp per
 * ARN segment: about a third of an IAM check on the main thread (bench:local, --cpu-prof). The bound
 * only guards against an unforeseen source of patterns.
 */
const compiled = new Map<string, RegExp>();
const GLOB_CACHE_LIMIT = 10_000;

const glob = (pattern: string, flags = '') => {
  const key = `${flags}/${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    if (compiled.size >= GLOB_CACHE_LIMIT) compiled.clear();
    regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      `s${flags}`,
    );
    compiled.set(key, regex);
  }
  return regex;
};

const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const compare = (parse: (s: string) => number, test: (a: number, b: number) => boolean): Match => {
  return (actual, expected) => {
    const a = parse(actual);
    const b = parse(expected);
    return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };
};

const splitArn = (arn: string) => {
  const parts = arn.split(':');
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
};

/** A segment without a wildcard matches only itself (glob is case-sensitive): a string, no pattern. */
type Segment = string | RegExp;
const arnPatterns = new Map<string, Segment[] | undefined>();

/** The pattern's segments, compiled once per pattern (the same bound as glob's). */
function arnPattern(pattern: string): Segment[] | undefined {
  if (arnPatterns.has(pattern)) return arnPatterns.get(pattern);
  if (arnPatterns.size >= GLOB_CACHE_LIMIT) arnPatterns.clear();
  const segments = splitArn(pattern)?.map((s) => (/[*?]/.test(s) ? glob(s) : s));
  arnPatterns.set(pattern, segments);
  return segments;
}

/** ARN matching: segment by segment for partition, service, region and account; the resource part as a whole. */
export function arnLike(actual: string, pattern: string): boolean {
  const p = arnPattern(pattern);
  const a = p && splitArn(actual);
  if (!p || !a) return glob(pattern).test(actual);
  return p.every((segment, i) =>
    typeof segment === 'string' ? segment === a[i] : segment.test(a[i] as string),
  );
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const toInt = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

/** The positive form of every operator; `negated` marks the ones that hold when no value matches. */
const OPERATORS: Record<string, { match: Match; negated?: true }> = {
  StringEquals: { match: (a, e) => a === e },
  StringNotEquals: { match: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { match: (a, e) => a.toLowerCase() === e.toLowerCase() },
  StringNotEqualsIgnoreCase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { match: (a, e) => glob(e).test(a) },
  StringNotLike: { match: (a, e) => glob(e).test(a), negated: true },
  NumericEquals: { match: compare(number, (a, b) => a === b) },
  NumericNotEquals: { match: compare(number, (a, b) => a === b), negated: true },
  NumericLessThan: { match: compare(number, (a, b) => a < b) },
  NumericLessThanEquals: { match: compare(number, (a, b) => a <= b) },
  NumericGreaterThan: { match: compare(number, (a, b) => a > b) },
  NumericGreaterThanEquals: { match: compare(number, (a, b) => a >= b) },
  DateEquals: { match: compare(date, (a, b) => a === b) },
  DateNotEquals: { match: compare(date, (a, b) => a === b), negated: true },
  DateLessThan: { match: compare(date, (a, b) => a < b) },
  DateLessThanEquals: { match: compare(date, (a, b) => a <= b) },
  DateGreaterThan: { match: compare(date, (a, b) => a > b) },
  DateGreaterThanEquals: { match: compare(date, (a, b) => a >= b) },
  Bool: { match: (a, e) => a.toLowerCase() === e.toLowerCase() },
  BinaryEquals: { match: (a, e) => a === e },
  IpAddress: { match: ipInCidr },
  NotIpAddress: { match: ipInCidr, negated: true },
  ArnEquals: { match: (a, e) => a === e },
  ArnNotEquals: { match: (a, e) => a === e, negated: true },
  ArnLike: { match: arnLike },
  ArnNotLike: { match: arnLike, negated: true },
};

/** The set operators for multi-valued keys. */
const SET = /^(ForAllValues|ForAnyValue):/;

export interface Condition {
  operator: string;
  key: string;
  values: string[];
}

/** Throws for an operator IAM does not have: such a policy would not have been accepted by IAM. */
export function compileConditions(block: unknown): Condition[] {
  if (block === undefined) return [];
  if (typeof block !== 'object' || block === null) throw new Error('Condition must be an object');
  const out: Condition[] = [];
  for (const [operator, keys] of Object.entries(block as Record<string, Record<string, unknown>>)) {
    const base = operator.replace(SET, '').replace(/IfExists$/, '');
    if (base !== 'Null' && !OPERATORS[base]) throw new Error(`unknown condition operator ${operator}`);
    for (const [key, value] of Object.entries(keys ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).map(String);
      out.push({ operator, key: key.toLowerCase(), values });
    }
  }
  return out;
}

function holds(condition: Condition, context: ContextKeys): boolean {
  const { operator, values } = condition;
  const actual = context.get(condition.key);
  if (operator === 'Null') {
    const absent = actual === undefined || actual.length === 0;
    return values.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  const set = SET.exec(operator)?.[1];
  const ifExists = operator.endsWith('IfExists');
  const base = operator.replace(SET, '').replace(/IfExists$/, '');
  const { match, negated } = OPERATORS[base] as { match: Match; negated?: true };
  // One value of the request against the policy's values: any of them (negated: none of them).
  const one = (a: string) => (negated ? !values.some((e) => match(a, e)) : values.some((e) => match(a, e)));
  if (set === 'ForAllValues') return (actual ?? []).every(one);
  if (set === 'ForAnyValue') return (actual ?? []).some(one);
  if (actual === undefined || actual.length === 0) return ifExists || negated === true;
  return actual.some(one);
}

export const conditionsHold = (conditions: Condition[], context: ContextKeys): boolean =>
  conditions.every((c) => holds(c, context));

/** Keys a policy names that the runtime does not put into any request's context. */
export function unknownKeys(conditions: Condition[], known: ReadonlySet<string>): string[] {
  return conditions.map((c) => c.key).filter((k) => !known.has(k));
}
