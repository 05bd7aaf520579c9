/**
 * DynamoDB's item sizes and the request units they cost, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html and
 * .../read-write-operations.html; index writes by .../GSI.html#GSI.Writes.
 */

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** DynamoDB's size of an attribute value (without its name). */
function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] as [string, unknown];
  switch (type) {
    case 'S':
      return bytes(v as string);
    case 'N':
      return numberSize(v as string);
    case 'B':
      return Buffer.from(v as string, 'base64').length;
    case 'SS':
      return (v as string[]).reduce((n, s) => n + bytes(s), 0);
    case 'NS':
      return (v as string[]).reduce((n, s) => n + numberSize(s), 0);
    case 'BS':
      return (v as string[]).reduce((n, b) => n + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((n, [k, e]) => n + 1 + bytes(k) + valueSize(e), 0);
    default:
      return 1; // NULL, BOOL
  }
}

/** 1 byte per two significant digits, plus 1 (leading and trailing zeroes do not count). */
function numberSize(n: string): number {
  const digits = n
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function itemSize(item: Item | null | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [k, v]) => n + bytes(k) + valueSize(v), 0);
}

export const writeUnits = (size: number) => Math.max(1, Math.ceil(size / 1024));
export const readUnits = (size: number, consistent: boolean) =>
  Math.max(1, Math.ceil(size / 4096)) * (consistent ? 1 : 0.5);

interface Index {
  KeySchema: { AttributeName: string }[];
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
}
export interface Table {
  KeySchema: { AttributeName: string }[];
  GlobalSecondaryIndexes?: Index[];
  LocalSecondaryIndexes?: Index[];
}

/** Units of the index entries a write puts or deletes. */
export function indexWriteUnits(
  table: Table,
  before: Item | null | undefined,
  after: Item | null | undefined,
): number {
  const tableKeys = table.KeySchema.map((k) => k.AttributeName);
  let units = 0;
  for (const index of [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]) {
    const keys = index.KeySchema.map((k) => k.AttributeName);
    const entry = (item: Item): Item => {
      if (index.Projection.ProjectionType === 'ALL') return item;
      const names = [...keys, ...tableKeys, ...(index.Projection.NonKeyAttributes ?? [])];
      return Object.fromEntries(
        names.filter((n) => item[n] !== undefined).map((n) => [n, item[n] as AttributeValue]),
      );
    };
    const old = before && keys.every((k) => before[k] !== undefined) ? entry(before) : undefined;
    const neu = after && keys.every((k) => after[k] !== undefined) ? entry(after) : undefined;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (old && neu) {
      if (keys.some((k) => !same(old[k], neu[k])))
        units += writeUnits(itemSize(old)) + writeUnits(itemSize(neu));
      else if (!same(old, neu)) units += writeUnits(Math.max(itemSize(old), itemSize(neu)));
    } else if (old || neu) units += writeUnits(itemSize(old ?? neu));
  }
  return units;
}
