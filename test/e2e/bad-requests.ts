/** Bad requests derived from the published contract (GET /openapi.json), for the contract fuzz test. */
import fc from 'fast-check';
import type { Loose } from './harness';

export interface BadRequest {
  /** What is wrong with it (shown when the property fails). */
  fault: string;
  method: string;
  path: string;
  headers: [string, string][];
  body?: string | Uint8Array;
}

// Characters the one input policy refuses in any text: control characters (C0, DEL, C1) and the
// invisible bidirectional formatting that spoofs a name (U+202E, U+2066, U+200F), the BOM.
const REFUSED_ANYWHERE = [
  '\u0000',
  '\u001b',
  '\u0007',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ufeff',
];
// A single line also refuses line breaks and the Unicode separators.
const REFUSED_IN_ONE_LINE = [...REFUSED_ANYWHERE, '\r\n', '\n', '\r', '\u2028'];

/** Values that are not of the schema's type. */
function wrongType(schema: Loose): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ minLength: 1, maxLength: 20 }),
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  };
  // A union (anyOf) takes each of its members' types.
  const types = Array.isArray(schema.anyOf) ? (schema.anyOf as Loose[]).map((m) => m.type) : [schema.type];
  const own = new Set(types.map((t) => (t === 'integer' ? 'number' : t)));
  return fc.oneof(
    ...Object.entries(all)
      .filter(([type]) => !own.has(type))
      .map(([, a]) => a),
  );
}

/** Values the schema refuses (with the input policy its description names); undefined: none known. */
export function invalidFor(schema: Loose, valid: unknown): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (schema.type || Array.isArray(schema.anyOf)) options.push(wrongType(schema));
  if (schema.type === 'string') {
    const max = schema.maxLength as number | undefined;
    // Visible characters only: the policy trims before it counts.
    if (max !== undefined)
      options.push(fc.integer({ min: max + 1, max: max * 4 + 10 }).map((n) => 'x'.repeat(n)));
    if ((schema.minLength ?? 0) > 0) options.push(fc.constantFrom('', '   '));
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern, 'u');
      options.push(
        fc
          .oneof(fc.string({ maxLength: 30 }), fc.constantFrom('0', '-1', '101', '1e2', ' 1', 'a,b'))
          .filter((s) => !pattern.test(s)),
      );
    }
    if (schema.enum) options.push(fc.string({ maxLength: 12 }).filter((s) => !schema.enum.includes(s)));
    if (schema.format === 'email') options.push(fc.constantFrom('no-at-sign', 'a@', '@b.nl', 'a b@c.nl'));
    if (/Dutch mobile/.test(schema.description ?? ''))
      options.push(fc.constantFrom('12345', '+4420123456', '0201234567', 'zes nul'));
    const refused = /^One line/.test(schema.description ?? '')
      ? REFUSED_IN_ONE_LINE
      : /control/.test(schema.description ?? '')
        ? REFUSED_ANYWHERE
        : [];
    if (refused.length > 0 && typeof valid === 'string')
      options.push(
        fc
          .tuple(fc.constantFrom(...refused), fc.nat(valid.length))
          .map(([c, at]) => `${valid.slice(0, at)}${c}${valid.slice(at)}x`),
      );
  }
  if (schema.type === 'object' && valid && typeof valid === 'object') {
    const value = valid as Record<string, unknown>;
    const required = (schema.required ?? []) as string[];
    if (required.length > 0)
      options.push(
        fc
          .constantFrom(...required)
          .map((name) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== name))),
      );
    if (schema.additionalProperties === false)
      options.push(
        fc.constantFrom('extra', '__proto__x', 'constructor', 'taskToken').map((k) => ({ ...value, [k]: 1 })),
      );
    for (const [name, member] of Object.entries((schema.properties ?? {}) as Record<string, Loose>))
      if (name in value)
        options.push(invalidFor(member, value[name]).map((bad) => ({ ...value, [name]: bad })));
  }
  return fc.oneof(...options);
}

/** Bodies that are not a well-formed JSON document of an object. */
export const brokenJson: fc.Arbitrary<{ fault: string; body: string | Uint8Array }> = fc.oneof(
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '1e999', '{"data":}', 'NaN').map((body) => ({
    fault: `broken JSON ${JSON.stringify(body)}`,
    body,
  })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => ({
    fault: 'bytes that are not UTF-8',
    body: Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes, 0xc3]),
  })),
  fc.integer({ min: 65 * 1024, max: 200 * 1024 }).map((n) => ({
    fault: `a body of ${n} bytes`,
    body: `{"data":{"note":"${'x'.repeat(n)}"}}`,
  })),
  fc.integer({ min: 2000, max: 20000 }).map((depth) => ({
    fault: `JSON nested ${depth} deep`,
    body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  })),
);

/** Identifiers as a client could craft them, percent-encoded where they must be to form a URL. */
export const craftedId: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.integer({ min: 200, max: 5000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom(
    '%zz',
    '%00',
    '%E2%80%AE',
    '..%2F..%2Fetc',
    '%2e%2e',
    'null',
    'undefined',
    '__proto__',
    '0',
    '-1',
    '%F0%9F%92%A9',
  ),
);

/** Cursors: random, cut, altered, oversized, or a real one of another query. */
export function craftedCursor(real: string[]): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc
      .base64String({ minLength: 4, maxLength: 600 })
      .map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')),
    fc
      .tuple(fc.base64String({ maxLength: 400 }), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/))
      .map(([a, mac]) => `${a.replace(/[+/=]/g, 'A')}.${mac}`),
    fc.integer({ min: 1025, max: 10_000 }).map((n) => 'A'.repeat(n)),
    fc.constantFrom('', '.', 'e30', `${Buffer.from('{}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`),
  ];
  if (real.length > 0) {
    const cursors = fc.constantFrom(...real);
    options.push(
      fc.tuple(cursors, fc.nat(), fc.constantFrom('A', 'B', '-', '_')).map(([c, i, ch]) => {
        const at = i % c.length;
        return `${c.slice(0, at)}${c[at] === ch ? 'C' : ch}${c.slice(at + 1)}`;
      }),
      fc.tuple(cursors, fc.nat()).map(([c, i]) => c.slice(0, i % c.length)),
    );
  }
  return fc.oneof(...options).map(encodeURIComponent);
}
