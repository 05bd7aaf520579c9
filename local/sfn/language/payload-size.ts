/**
 * The 256 KiB payload quota: "The maximum input or output size for a task, state, or execution
 * is 256 KiB of data as a UTF-8 encoded string" (Step Functions service quotas,
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). A payload here is a
 * JSON value; its size is the UTF-8 length of its JSON text, counted without building the text.
 *
 * Values are never mutated (history.ts keeps them as they are), so the size of a big subtree is
 * remembered: a ResultPath that puts a small result into a big input only walks the new spine.
 */
import { Buffer } from 'node:buffer';
import type { Json } from './json';

export const PAYLOAD_LIMIT = 256 * 1024;

/** Subtrees at least this big have their size remembered. */
const REMEMBER_FROM = 4096;
const sizes = new WeakMap<object, number>();

/** UTF-8 bytes of `text` as a JSON string literal (quotes and escapes included). */
export function jsonStringBytes(text: string): number {
  let bytes = 2;
  if (text.length > 64) {
    bytes += Buffer.byteLength(text, 'utf8');
    // Characters JSON escapes; all are one byte in UTF-8, and rare.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly these characters
    for (const m of text.matchAll(/["\\\u0000-\u001f]/g)) bytes += escapeExtra(m[0].charCodeAt(0));
    return bytes;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1 + (c < 0x20 || c === 0x22 || c === 0x5c ? escapeExtra(c) : 0);
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `\n`, `\"`... add one byte; other control characters become `\u00XX` (five more). */
function escapeExtra(c: number): number {
  return c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d
    ? 1
    : 5;
}

/** The UTF-8 length of JSON.stringify(value). */
export function jsonBytes(value: Json): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return jsonStringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      break;
    default:
      return 0;
  }
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (const item of value) bytes += (item === undefined ? 4 : jsonBytes(item)) + 1;
    if (value.length) bytes--;
  } else {
    let fields = 0;
    for (const key in value) {
      const item = value[key];
      if (item === undefined) continue;
      bytes += jsonStringBytes(key) + 1 + jsonBytes(item) + 1;
      fields++;
    }
    if (fields) bytes--;
  }
  if (bytes >= REMEMBER_FROM) sizes.set(value, bytes);
  return bytes;
}

export const overLimit = (value: Json): boolean => jsonBytes(value) > PAYLOAD_LIMIT;

export const textOverLimit = (text: string): boolean =>
  text.length > PAYLOAD_LIMIT || Buffer.byteLength(text, 'utf8') > PAYLOAD_LIMIT;
