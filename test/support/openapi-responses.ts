import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// Holds a response to the published contract (GET /openapi.json): its route and status must be in
// the document, its media type among that status's, its JSON valid against that media type's schema,
// a redirect must say where. Used by the e2e harness on every response it receives, and by the
// contract tests. Paths the document does not have (the local runtime's /local/*) are not checked.

type Json = Record<string, unknown>;

export interface Received {
  method: string;
  /** The path, with or without its query. */
  path: string;
  status: number;
  headers: Headers;
  text: string;
}

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Json }>; headers?: Json }>;
}

const templateOf = (path: string) =>
  new RegExp(
    `^${path
      .split(/(\{[^}]+\})/)
      // `{proxy}` is a greedy path parameter (`{proxy+}` in the gateway): it spans segments.
      .map((part) =>
        part === '{proxy}'
          ? '.+'
          : part.startsWith('{')
            ? '[^/]+'
            : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );

export class ResponseContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Literal paths before templated ones, so /c/assets/{file} wins over /c/{linkToken}. */
  private readonly paths: { path: string; pattern: RegExp; item: Record<string, Operation> }[];

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.paths = Object.entries(document.paths as Record<string, Record<string, Operation>>)
      .map(([path, item]) => ({ path, pattern: templateOf(path), item }))
      .sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  }

  /** The operation that serves `method path`, if the document has it. */
  operation(method: string, path: string): { path: string; operation: Operation } | undefined {
    // As the URL goes out: dot segments resolved (`/c/assets/%2e%2e` is `/c/`), the query dropped.
    const bare = new URL(path, 'http://localhost').pathname;
    for (const { path: template, pattern, item } of this.paths) {
      const operation = item[method.toLowerCase()];
      if (operation && pattern.test(bare)) return { path: template, operation };
    }
    return undefined;
  }

  /** What in this response breaks the contract; empty when it holds (or the path is not in it). */
  check(received: Received): string[] {
    const found = this.operation(received.method, received.path);
    if (!found) return [];
    const where = `${received.method} ${found.path} → ${received.status}`;
    const responses = found.operation.responses;
    const status = String(received.status);
    const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (!documented) return [`${where}: the status is not in the contract (${received.text.slice(0, 200)})`];
    const type = (received.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const problems: string[] = [];
    if (documented.headers && 'Location' in documented.headers && !received.headers.get('location'))
      problems.push(`${where}: no Location header`);
    // No body (a redirect, say): no media type to hold to the contract.
    if (received.text.length === 0) return problems;
    if (!type) return [...problems, `${where}: a body without a media type`];
    const media = documented.content?.[type];
    if (!media) {
      problems.push(
        `${where}: ${type} is not one of ${Object.keys(documented.content ?? {}).join(', ') || 'none'}`,
      );
      return problems;
    }
    if (type !== 'application/json') return problems;
    const key = `${received.method} ${found.path} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(media.schema);
      this.compiled.set(key, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(received.text);
    } catch {
      return [...problems, `${where}: the body is not JSON`];
    }
    if (!validate(body))
      for (const e of validate.errors ?? [])
        problems.push(`${where}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    return problems;
  }
}
