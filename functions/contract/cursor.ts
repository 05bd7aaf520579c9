import * as z from 'zod/mini';
import { described } from '../domain/input-policy';
import { CURSOR_MAX_LENGTH, CURSOR_PATTERN } from '../shared/cursor';

/** A page cursor as a list route takes it back: opaque, signed, bounded (see shared/cursor.ts). */
export const cursorParam = described(
  z
    .string()
    .check(
      z.maxLength(CURSOR_MAX_LENGTH, 'The cursor is not valid for this query; start again without it.'),
      z.regex(CURSOR_PATTERN, 'The cursor is not valid for this query; start again without it.'),
    ),
  'The `cursor` of the previous page, as given: opaque, signed, valid for the same query only.',
);
