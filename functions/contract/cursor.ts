import * as z from 'zod/mini';
import { CURSOR_MAX_LENGTH, CURSOR_PATTERN } from '../shared/cursor';

/** A page cursor as a list route takes it back: opaque, signed, bounded (see shared/cursor.ts). */
export const cursorParam = z
  .string()
  .check(
    z.maxLength(CURSOR_MAX_LENGTH, 'The cursor is not valid for this query; start again without it.'),
    z.regex(CURSOR_PATTERN, 'The cursor is not valid for this query; start again without it.'),
  );
