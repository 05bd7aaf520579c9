/**
 * Intrinsic functions (`States.Format(...)` etc.) for `.$` fields. An expression is parsed once
 * into a closure tree; arguments are literals, JSONPaths (`$.x` on the input, `$$.x` on the
 * context object) or nested calls. Failures are `States.Runtime`, as AWS reports them.
 */
import { INTRINSIC_FUNCTIONS } from './intrinsic-functions';
import type { Json } from './json';
import { compilePath } from './jsonpath';
import { StatesRuntimeError } from './states-errors';

export type Evaluator = (input: Json, context: () => Json) => Json;

const cache = new Map<string, Evaluator>();

export function compileIntrinsic(src: string): Evaluator {
  let e = cache.get(src);
  if (!e) {
    const p = new Parser(src);
    e = p.call();
    p.end();
    cache.set(src, e);
  }
  return e;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected trailing text');
  }
  fail(why: string): never {
    throw new StatesRuntimeError(`Invalid intrinsic function '${this.s}': ${why}`);
  }

  call(): Evaluator {
    this.ws();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a States.* function');
    const name = m[0];
    this.i += name.length;
    if (this.s[this.i] !== '(') this.fail("expected '('");
    this.i++;
    const args: Evaluator[] = [];
    this.ws();
    if (this.s[this.i] === ')') this.i++;
    else {
      for (;;) {
        args.push(this.arg());
        this.ws();
        const c = this.s[this.i++];
        if (c === ')') break;
        if (c !== ',') this.fail("expected ',' or ')'");
      }
    }
    const fn = INTRINSIC_FUNCTIONS[name];
    if (!fn) this.fail(`unknown function ${name}`);
    return (input, context) => fn(args.map((a) => a(input, context)));
  }

  private arg(): Evaluator {
    this.ws();
    const c = this.s[this.i];
    if (c === "'") return this.str();
    if (c === '$') return this.path();
    if (this.s.startsWith('States.', this.i)) return this.call();
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) this.fail('bad argument');
    this.i += m[0].length;
    const v = JSON.parse(m[0]) as Json;
    return () => v;
  }

  private str(): Evaluator {
    let out = '';
    this.i++;
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('unterminated string');
      if (c === '\\') {
        const n = this.s[this.i++];
        if (n === undefined) this.fail('bad escape');
        // `\{` and `\}` must survive until States.Format sees them; other escapes collapse.
        out += n === '{' || n === '}' ? `\\${n}` : n;
      } else if (c === "'") break;
      else out += c;
    }
    return () => out;
  }

  private path(): Evaluator {
    const start = this.i;
    let depth = 0;
    let quote: string | null = null;
    for (; this.i < this.s.length; this.i++) {
      const c = this.s[this.i];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']') depth--;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === ' ') && depth === 0) break;
    }
    const text = this.s.slice(start, this.i);
    const p = compilePath(text);
    return (input, context) => {
      const v = p.get(p.context ? context() : input);
      if (v === undefined)
        throw new StatesRuntimeError(`The JsonPath argument '${text}' could not be found in the input`);
      return v;
    };
  }
}
