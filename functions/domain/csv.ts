// RFC 4180 CSV, read as a stream: a round file of 100,000 households never sits in memory whole.
// Used by the round validator and by the local engine's ItemReader, so both read a file alike.

export interface CsvRecord {
  /** 1-based line on which the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** A record longer than this is a broken file (an unclosed quote), not a household. */
const MAX_RECORD_CHARS = 65_536;

/**
 * Yields one record per line (quoted fields may span lines). A UTF-8 byte order mark is dropped,
 * CRLF, LF and CR all end a line, and empty lines are skipped.
 */
export async function* parseCsv(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  delimiter = ',',
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      // A chunk is decoded before its lines are read: the line is the one holding the first bad byte.
      const before = bytes ? readable(bytes) : '';
      throw new CsvError(
        line + lineBreaks(before, lastCr),
        'the file is not UTF-8 text; save it as "CSV UTF-8"',
      );
    }
  };
  let fields: string[] = [];
  let field = '';
  let size = 0;
  let quoted = false; // inside a quoted field
  let closed = false; // just after the closing quote of a field
  let line = 1;
  let start = 1;
  let started = false; // the current record has any content
  let lastCr = false;
  let first = true;

  const endRecord = (): CsvRecord | undefined => {
    fields.push(field);
    const record = started ? { line: start, fields } : undefined;
    fields = [];
    field = '';
    size = 0;
    closed = false;
    started = false;
    return record;
  };

  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decode(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\n' && lastCr) {
        lastCr = false;
        continue; // the LF of a CRLF already ended the line
      }
      lastCr = c === '\r';
      if (quoted) {
        if (c === '"') {
          quoted = false;
          closed = true;
        } else {
          if (c === '\n' || c === '\r') line++;
          field += c;
          if (++size > MAX_RECORD_CHARS) throw new CsvError(start, 'a quoted field is never closed');
        }
        continue;
      }
      if (c === '\n' || c === '\r') {
        const record = endRecord();
        line++;
        start = line;
        if (record) yield record;
        continue;
      }
      if (!started) {
        started = true;
        start = line;
      }
      if (c === delimiter) {
        fields.push(field);
        field = '';
        closed = false;
      } else if (c === '"') {
        if (closed) {
          field += '"'; // "" inside a quoted field is one quote
          quoted = true;
          closed = false;
        } else if (field === '') quoted = true;
        else throw new CsvError(line, 'a quote inside an unquoted field; put the whole field in quotes');
      } else {
        if (closed) throw new CsvError(line, 'text after a closing quote; put the whole field in quotes');
        field += c;
        if (++size > MAX_RECORD_CHARS)
          throw new CsvError(start, `a record is longer than ${MAX_RECORD_CHARS} characters`);
      }
    }
  }
  decode();
  if (quoted) throw new CsvError(start, 'a quoted field is never closed');
  const record = endRecord();
  if (record) yield record;
}

/**
 * The text of `bytes` up to their first byte that is not UTF-8. None of them: the bad sequence began
 * in the bytes the decoder carried over from the chunk before, so the error is where this chunk starts.
 */
function readable(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = text.indexOf('\ufffd');
  return bad < 0 ? '' : text.slice(0, bad);
}

/** How many lines `text` ends (CRLF, LF and CR each end one); `afterCr`: the text before ended in CR. */
function lineBreaks(text: string, afterCr: boolean): number {
  let count = 0;
  let cr = afterCr;
  for (const c of text) {
    if (c === '\r' || (c === '\n' && !cr)) count++;
    cr = c === '\r';
  }
  return count;
}

/** One CSV line (with CRLF): fields quoted only when they need it. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map((f) => (/[",\r\n]/.test(f) || f !== f.trim() ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\r\n`;
}
