import { createHash } from 'node:crypto';
import { STYLESHEET } from './stylesheet';

// The pages' one stylesheet, served by the citizen-page function itself (no third-party requests).
// Its name carries a content hash, so browsers may cache it for a year and a new release is fetched anew.

export const STYLE_FILE = `style-${createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12)}.css`;

/** The asset with this file name, or undefined. */
export function asset(file: string): { body: string; type: string } | undefined {
  return file === STYLE_FILE ? { body: STYLESHEET, type: 'text/css; charset=utf-8' } : undefined;
}
