/** JSON values, as the States Language passes them between states. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The same text as one flat string. V8 keeps a string built by concatenation (JSON.stringify,
 * randomUUID, template literals) as a tree of its pieces, ~14 small objects for an execution
 * name, until something reads it whole; reading one character makes V8 flatten it and drop the
 * pieces. For text an engine keeps for the life of an execution (names, ARNs, payloads).
 */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
