import { describe, expect, it } from 'vitest';
import { CsvError, csvLine, parseCsv } from '../../../functions/domain/csv';

async function records(chunks: Iterable<string | Uint8Array>, delimiter?: string) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const r of parseCsv(chunks, delimiter)) out.push(r);
  return out;
}

async function failure(chunks: Iterable<string | Uint8Array>): Promise<CsvError> {
  try {
    await records(chunks);
  } catch (e) {
    if (e instanceof CsvError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

/** Every single byte its own chunk: multi-byte characters and CRLF pairs split across chunks. */
function byteChunks(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  return [...bytes].map((b) => Uint8Array.of(b));
}

describe('parseCsv', () => {
  const file =
    '\uFEFFreference,name,note\r\nA1,"Jan ""J"" Jansen",é\r\n\r\nA2,"two\nlines",x\nA3,,"a,b"\rA4,last,end';

  it('reads quotes, escaped quotes, CRLF/LF/CR, skips empty lines and reports start lines', async () => {
    const expected = [
      { line: 1, fields: ['reference', 'name', 'note'] },
      { line: 2, fields: ['A1', 'Jan "J" Jansen', 'é'] },
      { line: 4, fields: ['A2', 'two\nlines', 'x'] },
      { line: 6, fields: ['A3', '', 'a,b'] },
      { line: 7, fields: ['A4', 'last', 'end'] },
    ];
    expect(await records([file])).toEqual(expected);
    expect(await records(byteChunks(file))).toEqual(expected);
  });

  it('keeps trailing empty fields and reads another delimiter', async () => {
    expect(await records(['a;b;\n'], ';')).toEqual([{ line: 1, fields: ['a', 'b', ''] }]);
  });

  it('names the line of broken quoting, unclosed quotes and non-UTF-8 bytes', async () => {
    expect((await failure(['a,b\nx,y"z\n'])).line).toBe(2);
    expect((await failure(['a,b\nx,"y"z\n'])).message).toContain('after a closing quote');
    const unclosed = await failure(['a\n', 'b\n', '"never closed\nmore\n']);
    expect([unclosed.line, unclosed.message]).toEqual([3, 'line 3: a quoted field is never closed']);
    expect((await failure([Uint8Array.of(0x61, 0x0a, 0x62, 0xe9, 0x0a)])).message).toContain('not UTF-8');
    // The line of the bad byte, within a chunk and after chunks read before (CRLF, LF and CR each end a line).
    expect(
      (await failure([Uint8Array.of(0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x63, 0x0a, 0xe9, 0x0a, 0x64)])).line,
    ).toBe(4);
    const later = await failure(['a\r\nb\r', Uint8Array.of(0x0a, 0x63, 0x0a, 0x64, 0xe9, 0x0a)]);
    expect(later.line).toBe(4);
  });

  it('refuses a record too long to be a household rather than buffering the file', async () => {
    const error = await failure(['a\n"', 'x'.repeat(70_000)]);
    expect(error.line).toBe(2);
  });
});

describe('csvLine', () => {
  it('quotes only fields that need it, and round-trips through parseCsv', async () => {
    const fields = ['plain', 'com,ma', 'quo"te', ' padded', 'new\nline', ''];
    const line = csvLine(fields);
    expect(line).toBe('plain,"com,ma","quo""te"," padded","new\nline",\r\n');
    expect((await records([line]))[0]?.fields).toEqual(fields);
  });
});
