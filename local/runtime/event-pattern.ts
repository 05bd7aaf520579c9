/**
 * EventBridge event patterns (also the syntax of SNS filter policies): a pattern has the event's
 * nesting; a leaf is an array of matchers, any of which may match; when the event's value is an
 * array, any of its elements may match. Matchers: exact values (string, number, boolean, null),
 * prefix, suffix, equals-ignore-case, wildcard, anything-but (a value, a list, or prefix/suffix/
 * equals-ignore-case/wildcard), numeric ranges, exists, and $or.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * An operator that is not emulated (cidr) is refused when the rule is loaded, never silently unmatched.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
]);

/** Throws a readable error when the pattern uses a form this matcher does not know. */
export function checkPattern(pattern: unknown, path = ''): void {
  if (!isObj(pattern)) throw new Error(`event pattern${path ? ` at ${path}` : ''} must be an object`);
  for (const [key, sub] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(sub)) throw new Error(`event pattern: $or at ${at} must be an array`);
      for (const p of sub) checkPattern(p, at);
    } else if (Array.isArray(sub)) {
      for (const m of sub) {
        if (!isObj(m)) continue;
        const [op] = Object.keys(m);
        if (Object.keys(m).length !== 1 || !OPERATORS.has(op as string))
          throw new Error(`event pattern: operator ${JSON.stringify(m)} at ${at} is not emulated locally`);
      }
    } else checkPattern(sub, at);
  }
}

export function matchesPattern(pattern: Obj, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Obj[]).some((p) => matchesPattern(p, value))) return false;
      continue;
    }
    const present = isObj(value) && key in value;
    const field = present ? (value as Obj)[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchesLeaf(sub, field, present)) return false;
    } else {
      const candidates = Array.isArray(field) ? field : [field];
      if (!present || !candidates.some((c) => isObj(c) && matchesPattern(sub as Obj, c))) return false;
    }
  }
  return true;
}

function matchesLeaf(matchers: unknown[], field: unknown, present: boolean): boolean {
  const values = Array.isArray(field) ? field : [field];
  return matchers.some((m) => {
    if (isObj(m) && 'exists' in m) return m.exists ? present : !present;
    return present && values.some((v) => matches(m, v));
  });
}

function matches(matcher: unknown, value: unknown): boolean {
  if (!isObj(matcher)) return matcher === value;
  const [op, arg] = Object.entries(matcher)[0] as [string, unknown];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof value === 'string' && text(op, arg, value);
    case 'anything-but':
      if (Array.isArray(arg)) return !arg.includes(value);
      if (isObj(arg)) {
        const [inner, innerArg] = Object.entries(arg)[0] as [string, unknown];
        return typeof value === 'string' && !text(inner, innerArg, value);
      }
      return value !== arg;
    case 'numeric':
      return typeof value === 'number' && numeric(arg as unknown[], value);
    default:
      return false;
  }
}

function text(op: string, arg: unknown, value: string): boolean {
  // prefix/suffix may take { "equals-ignore-case": "..." } to compare without case.
  const ignoreCase = isObj(arg) && typeof arg['equals-ignore-case'] === 'string';
  const wanted = String(ignoreCase ? (arg as Obj)['equals-ignore-case'] : arg);
  const v = ignoreCase ? value.toLowerCase() : value;
  const w = ignoreCase ? wanted.toLowerCase() : wanted;
  switch (op) {
    case 'prefix':
      return v.startsWith(w);
    case 'suffix':
      return v.endsWith(w);
    case 'equals-ignore-case':
      return value.toLowerCase() === wanted.toLowerCase();
    case 'wildcard': {
      const source = wanted.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return new RegExp(`^${source.join('.*')}$`, 's').test(value);
    }
    default:
      return false;
  }
}

function numeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const bound = Number(conditions[i + 1]);
    const ok = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[String(conditions[i])];
    if (!ok) return false;
  }
  return true;
}
