import * as z from 'zod/mini';
import type { Service } from '../../workflows/schema';
import type { DataCipher } from '../domain/case-keys';
import { fieldSchema, MESSAGES } from '../domain/forms';
import { CONTROL, dutchMobile, email, isReachable, RULES, singleLine } from '../domain/input-policy';
import { BASE_COLUMNS, type RowError } from './model';

// The rules of a round's CSV file. A reason never repeats the value it refuses: row errors are stored
// and shown to staff, and the values are personal data.

export const ROW = '(row)';

export const REASONS = {
  semicolons: 'the file is separated by semicolons; save it as CSV UTF-8 (comma delimited)',
  tabs: 'the file is separated by tabs; save it as CSV UTF-8 (comma delimited)',
  empty: 'the file is empty; the first line must name the columns',
  unnamed: 'a column has no name (an empty header cell or a trailing comma)',
  noHeader: (known: string[]) => `the first line must name the columns (${known.join(', ')}); it names none`,
  unknown: (known: string[]) => `unknown column; the columns are ${known.join(', ')}`,
  missing: 'this required column is missing',
  repeated: 'this column appears more than once',
  fieldCount: (expected: number, found: number) => `the row has ${found} fields; the header has ${expected}`,
  control: RULES.control,
  invisible: RULES.invisible,
  phone: RULES.phone,
  email: RULES.email,
  locale: 'use nl or en',
  unreachable: 'no way to reach the household: give a phone or an e-mail',
  duplicate: (line: number) => `duplicate of line ${line}`,
} as const;

const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** The columns of a round file for this service: the base columns, then the context fields. */
export function roundColumns(service: Service): string[] {
  return [...BASE_COLUMNS, ...service.context.map((f) => f.id)];
}

/**
 * The columns of valid.csv, which the round machine's Distributed Map reads into its child executions'
 * input and history: the original line (not personal), then the row itself, sealed with the round's key.
 */
export const VALID_COLUMNS = ['line', 'row'] as const;

export function validColumns(): string[] {
  return [...VALID_COLUMNS];
}

/** Where each known column sits in the file, or the file errors of its header (all on line 1). */
export type Header =
  | { ok: true; positions: Map<string, number>; width: number }
  | { ok: false; errors: RowError[] };

export function checkHeader(service: Service, fields: string[]): Header {
  const at = (column: string, reason: string): RowError => ({ line: 1, column, reason });
  if (fields.length === 1 && fields[0]?.includes(';'))
    return { ok: false, errors: [at(ROW, REASONS.semicolons)] };
  if (fields.length === 1 && fields[0]?.includes('\t')) return { ok: false, errors: [at(ROW, REASONS.tabs)] };
  const known = roundColumns(service);
  // Column names in any case ('Phone', as a spreadsheet's header often has it): each is read as the known one.
  const canonical = new Map(known.map((column) => [column.toLowerCase(), column]));
  const required = ['reference', ...service.context.filter((f) => f.required).map((f) => f.id)];
  const errors: RowError[] = [];
  const positions = new Map<string, number>();
  fields.forEach((raw, i) => {
    const name = canonical.get(raw.trim().toLowerCase()) ?? raw.trim();
    // An unknown header cell is named only when it looks like a column name: it might be data.
    const shown = COLUMN_NAME.test(name) ? name : `(column ${i + 1})`;
    if (name === '') errors.push(at(shown, REASONS.unnamed));
    else if (!known.includes(name)) errors.push(at(shown, REASONS.unknown(known)));
    else if (positions.has(name)) errors.push(at(name, REASONS.repeated));
    else positions.set(name, i);
  });
  // A file without a header row: its first household must not end up in the report as column names.
  if (positions.size === 0) return { ok: false, errors: [at(ROW, REASONS.noHeader(known))] };
  for (const name of required) if (!positions.has(name)) errors.push(at(name, REASONS.missing));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, positions, width: fields.length };
}

// A cell: control characters refused on the raw value (input-policy.ts), then trimmed; blank means
// absent. The columns' own schemas are the policy's too, as for POST /cases.
const cell = (value: z.ZodMiniType<unknown>, required: boolean) => {
  const present = required
    ? z.pipe(z.unknown().check(z.refine((v) => v !== undefined, { error: MESSAGES.required })), value)
    : z.optional(value);
  return z.pipe(
    z.pipe(
      z.string().check(z.refine((s) => !CONTROL.test(s), { error: REASONS.control })),
      z.transform((s: string) => (s.trim() === '' ? undefined : s.trim())),
    ),
    // The blank-to-absent step outputs string | undefined, which both branches accept.
    present as z.ZodMiniType<unknown, string | undefined>,
  );
};

const locale = z.pipe(
  z.string(),
  z.transform((s: string, ctx) => {
    const l = s.toLowerCase();
    if (l === 'nl' || l === 'en') return l;
    ctx.issues.push({ code: 'custom', message: REASONS.locale, input: '' });
    return z.NEVER;
  }),
);

/** The zod/mini schema of one row, as an object of raw cell strings by column. */
export function rowSchema(service: Service) {
  const shape: Record<string, z.ZodMiniType<unknown>> = {
    reference: cell(singleLine(100), true),
    name: cell(singleLine(200), false),
    phone: cell(dutchMobile, false),
    email: cell(email, false),
    locale: cell(locale, false),
  };
  // The context fields are checked exactly as POST /cases checks them.
  for (const field of service.context) shape[field.id] = cell(fieldSchema(field), field.required);
  return z.object(shape);
}

export interface ValidRow {
  line: number;
  reference: string;
  name?: string;
  phone?: string;
  email?: string;
  locale: 'nl' | 'en';
  /** Context values by field id, as the form validation typed them. */
  context: Record<string, string | number | boolean>;
}

export type RowResult = { ok: true; row: ValidRow } | { ok: false; errors: RowError[] };

/**
 * Checks rows one at a time. `seen` maps each reference to its first line: duplicates are found with
 * one entry per reference, never by keeping rows.
 */
export class RowValidator {
  private readonly schema: ReturnType<typeof rowSchema>;
  private readonly columns: string[];
  private readonly order: string[];
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly service: Service,
    private readonly header: Extract<Header, { ok: true }>,
  ) {
    this.schema = rowSchema(service);
    this.columns = roundColumns(service);
    this.order = [ROW, ...this.columns];
  }

  check(line: number, fields: string[]): RowResult {
    if (fields.length !== this.header.width)
      return {
        ok: false,
        errors: [{ line, column: ROW, reason: REASONS.fieldCount(this.header.width, fields.length) }],
      };
    const raw: Record<string, string> = {};
    for (const column of this.columns) {
      const at = this.header.positions.get(column);
      raw[column] = at === undefined ? '' : (fields[at] ?? '');
    }
    const parsed = this.schema.safeParse(raw);
    const errors = new Map<string, string>();
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? ROW);
        if (!errors.has(column)) errors.set(column, issue.message);
      }
    const values = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
    const reference = raw.reference?.trim() ?? '';
    if (!errors.has('reference') && reference !== '') {
      const first = this.seen.get(reference);
      if (first !== undefined) errors.set('reference', REASONS.duplicate(first));
      else this.seen.set(reference, line);
    }
    // The input policy's rule; a round's invitations go by SMS, so no row is handed over in person.
    if (!isReachable({ phone: raw.phone?.trim(), email: raw.email?.trim() }))
      errors.set(ROW, REASONS.unreachable);
    if (errors.size > 0) {
      const sorted = [...errors].sort(([a], [b]) => this.order.indexOf(a) - this.order.indexOf(b));
      return { ok: false, errors: sorted.map(([column, reason]) => ({ line, column, reason })) };
    }
    const context: ValidRow['context'] = {};
    for (const f of this.service.context) {
      const v = values[f.id];
      if (v !== undefined) context[f.id] = v as string | number | boolean;
    }
    const row: ValidRow = {
      line,
      reference,
      locale: (values.locale as 'nl' | 'en' | undefined) ?? 'nl',
      context,
    };
    for (const key of ['name', 'phone', 'email'] as const) {
      const v = values[key];
      if (typeof v === 'string') row[key] = v;
    }
    return { ok: true, row };
  }
}

/** A valid row's cells by column (every round column, normalised; blank ones empty). */
export function rowCells(service: Service, row: ValidRow): Record<string, string> {
  const cells: Record<string, string> = {
    reference: row.reference,
    name: row.name ?? '',
    phone: row.phone ?? '',
    email: row.email ?? '',
    locale: row.locale,
  };
  for (const f of service.context)
    cells[f.id] = row.context[f.id] === undefined ? '' : String(row.context[f.id]);
  return cells;
}

/** A valid row as the fields of valid.csv, in VALID_COLUMNS order: the line, and the sealed cells. */
export function validFields(service: Service, row: ValidRow, cipher: DataCipher): string[] {
  return [String(row.line), cipher.sealJson(rowCells(service, row))];
}
