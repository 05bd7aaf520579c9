import { STYLE_FILE } from './style-file';
import { STYLESHEET } from './stylesheet';

// The pages' one stylesheet, served by the small `assets` function (no third-party requests, and the
// 87 kB sheet stays out of the page functions' bundles). Its name carries a content hash, so browsers
// may cache it for a year and a new release is fetched anew.

/** The asset with this file name, or undefined. */
export function asset(file: string): { body: string; type: string } | undefined {
  return file === STYLE_FILE ? { body: STYLESHEET, type: 'text/css; charset=utf-8' } : undefined;
}
