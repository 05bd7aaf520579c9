/**
 * DynamoDB's item sizes and the request units they cost, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html and
 * .../read-write-operations.html; index writes by .../GSI.html#GSI.Writes.
 *
 * Every write of the local DynamoDB passes through here (capacity.ts), on dynalite's thread: loops rather
 * than Object.entries, each entry's size counted once, and entries compared attribute by attribute.
 */

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The type of an attribute value: its one key (S, N, M...). */
function typeOf(value: AttributeValue): string {
  for (const type in value) return type;
  return '';
}

/** DynamoDB's size of an attribute value (without its name). */
function valueSize(value: AttributeValue): number {
  const type = typeOf(value);
  const v = value[type];
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
      return 3 + mapSize(v as Item, 1);
    default:
      return 1; // NULL, BOOL
  }
}

/** The names and values of a map or an item, plus `each` bytes per element (a map's, not an item's). */
function mapSize(map: Item, each: number): number {
  let size = 0;
  for (const name in map) size += each + bytes(name) + valueSize(map[name] as AttributeValue);
  return size;
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
  return item ? mapSize(item, 0) : 0;
}

/** Whether two attribute values are equal as DynamoDB sees them: neither a set's order nor a map's counts. */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const type = typeOf(a);
  if (typeOf(b) !== type) return false;
  const [x, y] = [a[type], b[type]];
  switch (type) {
    case 'L': {
      const [l, m] = [x as AttributeValue[], y as AttributeValue[]];
      return l.length === m.length && l.every((e, i) => sameValue(e, m[i]));
    }
    case 'M':
      return sameItem(x as Item, y as Item);
    case 'SS':
    case 'NS':
    case 'BS': {
      const [s, t] = [x as string[], y as string[]];
      if (s.length !== t.length) return false;
      const members = new Set(s);
      return t.every((e) => members.has(e));
    }
    default:
      return x === y; // S, N, B, BOOL, NULL
  }
}

/** Whether two items (or maps) hold the same names with equal values. */
export function sameItem(a: Item, b: Item): boolean {
  let names = 0;
  for (const name in a) {
    names++;
    if (!sameValue(a[name], b[name])) return false;
  }
  for (const _ in b) names--;
  return names === 0;
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

/** An index's entry of `item`: none without the index's keys, the item itself when it projects ALL. */
function indexEntry(index: Index, tableKeys: string[], item: Item | null | undefined): Item | undefined {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (!item || !keys.every((k) => item[k] !== undefined)) return undefined;
  if (index.Projection.ProjectionType === 'ALL') return item;
  const projected: Item = {};
  for (const name of [...keys, ...tableKeys, ...(index.Projection.NonKeyAttributes ?? [])])
    if (item[name] !== undefined) projected[name] = item[name];
  return projected;
}

/** Item sizes counted once: an ALL index's entry is the item itself, for the table and every such index. */
class Sizes {
  private readonly known = new Map<Item, number>();

  of(item: Item | null | undefined): number {
    if (!item) return 0;
    const known = this.known.get(item);
    if (known !== undefined) return known;
    const size = itemSize(item);
    this.known.set(item, size);
    return size;
  }
}

/**
 * The units of a write that replaced `before` with `after` (either may be missing): the table's, the
 * larger of the two in 1 KB steps, and those of each index entry it puts or deletes. (Functions, not
 * closures: the local runtime runs under tsx, whose keepNames names every closure made, per call.)
 */
export function writeUnitsOf(table: Table, before: Item | null | undefined, after: Item | null | undefined) {
  const sizes = new Sizes();
  const tableKeys = table.KeySchema.map((k) => k.AttributeName);
  let units = writeUnits(Math.max(sizes.of(before), sizes.of(after)));
  for (const index of [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])]) {
    const [old, neu] = [indexEntry(index, tableKeys, before), indexEntry(index, tableKeys, after)];
    if (old && neu) {
      // A changed index key is a delete and a put; a changed entry under the same key, one write.
      const moved = index.KeySchema.some(({ AttributeName: key }) => !sameValue(old[key], neu[key]));
      if (moved) units += writeUnits(sizes.of(old)) + writeUnits(sizes.of(neu));
      else if (!sameItem(old, neu)) units += writeUnits(Math.max(sizes.of(old), sizes.of(neu)));
    } else if (old || neu) units += writeUnits(sizes.of(old ?? neu));
  }
  return units;
}
