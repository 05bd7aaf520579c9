/**
 * ItemReader for Distributed Maps: turns an S3 object (a stream of bytes) into items, and feeds
 * them to the Map with backpressure. The feed reads only when the Map asks for the next child's
 * items, so a file of 100,000 rows never sits in memory; after a restart it is re-opened and the
 * items already handed to children are skipped.
 */
import { parseCsv } from '../../../functions/domain/csv';
import type { ItemSource } from '../interpreter/ports';
import type { ReaderConfig } from '../language/distributed-map-config';
import type { Json } from '../language/json';
import { ItemReaderFailed, StatesError } from '../language/states-errors';

/** The engine's access to S3 objects (EngineOptions.s3). Throw if the object does not exist. */
export interface ObjectSource {
  getObject(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>>;
}

export const readerError = (e: unknown): StatesError =>
  new ItemReaderFailed(e instanceof Error ? e.message : String(e));

/** The items of an object: CSV rows as header -> string objects, JSON array elements, JSONL lines. */
export async function* readItems(body: AsyncIterable<Uint8Array>, c: ReaderConfig): AsyncGenerator<Json> {
  let n = 0;
  const all =
    c.inputType === 'CSV' ? csvItems(body, c) : c.inputType === 'JSONL' ? jsonlItems(body) : jsonItems(body);
  for await (const item of all) {
    if (c.maxItems !== undefined && n >= c.maxItems) return;
    n++;
    yield item;
  }
}

async function* csvItems(body: AsyncIterable<Uint8Array>, c: ReaderConfig): AsyncGenerator<Json> {
  let headers = c.headers;
  for await (const rec of parseCsv(body, c.delimiter)) {
    if (!headers) {
      headers = rec.fields;
      continue;
    }
    if (rec.fields.length !== headers.length) {
      throw readerError(`line ${rec.line}: ${rec.fields.length} fields, the header has ${headers.length}`);
    }
    const item: Record<string, Json> = {};
    headers.forEach((h, i) => {
      item[h] = rec.fields[i] as string;
    });
    yield item;
  }
}

async function* lines(body: AsyncIterable<Uint8Array>): AsyncGenerator<[number, string]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 0;
  for await (const chunk of body) {
    rest += decoder.decode(chunk, { stream: true });
    for (let i = rest.indexOf('\n'); i >= 0; i = rest.indexOf('\n')) {
      yield [++line, rest.slice(0, i)];
      rest = rest.slice(i + 1);
    }
  }
  rest += decoder.decode();
  if (rest) yield [++line, rest];
}

async function* jsonlItems(body: AsyncIterable<Uint8Array>): AsyncGenerator<Json> {
  for await (const [n, text] of lines(body)) {
    if (!text.trim()) continue;
    try {
      yield JSON.parse(text) as Json;
    } catch {
      throw readerError(`line ${n} is not JSON`);
    }
  }
}

/** A JSON array is parsed whole (as AWS limits such files); use CSV or JSONL for big inputs. */
async function* jsonItems(body: AsyncIterable<Uint8Array>): AsyncGenerator<Json> {
  const parts: string[] = [];
  for await (const [, text] of lines(body)) parts.push(text);
  let value: unknown;
  try {
    value = JSON.parse(parts.join('\n'));
  } catch {
    throw readerError('the object is not valid JSON');
  }
  if (!Array.isArray(value)) throw readerError('the JSON object must be an array');
  yield* value as Json[];
}

/**
 * Pull-based buffer between an async item iterator and the (synchronous) interpreter. `take(n)`
 * answers from the buffer or starts reading exactly up to n items and calls `ready` when done.
 */
export class ItemFeed implements ItemSource {
  private buf: Json[] = [];
  private it: AsyncIterator<Json> | null = null;
  private reading = false;
  private closed = false;
  private ended = false;
  error: StatesError | null = null;

  constructor(
    private readonly open: () => Promise<AsyncIterator<Json>>,
    /** Items already handed out before a restart. */
    private skip: number,
    private readonly ready: () => void,
  ) {}

  /** True while reading from the object (the Map waits for it). */
  get busy(): boolean {
    return this.reading;
  }

  /** Up to n items (fewer only at the end, [] = no more), or null while reading. */
  take(n: number): Json[] | null {
    if (this.error) return null;
    if (this.buf.length >= n || this.ended) return this.buf.splice(0, n);
    if (!this.reading) void this.fill(n);
    return null;
  }

  private async fill(n: number): Promise<void> {
    this.reading = true;
    try {
      this.it ??= await this.open();
      for (; this.skip > 0 && !this.ended; this.skip--) if ((await this.it.next()).done) this.ended = true;
      while (!this.ended && !this.closed && this.buf.length < n) {
        const r = await this.it.next();
        if (r.done) this.ended = true;
        else this.buf.push(r.value);
      }
    } catch (e) {
      this.error = e instanceof StatesError ? e : readerError(e);
    }
    this.reading = false;
    if (!this.closed) this.ready();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buf = [];
    this.it?.return?.().catch(() => undefined);
  }
}
