import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/pages/html';

describe('esc', () => {
  it('escapes the characters HTML gives a meaning', () => {
    expect(esc(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
    );
  });

  it('keeps tabs and line breaks, and puts U+FFFD for any other control character', () => {
    expect(esc('a\u0000b\u001bc\u007fd\u0085e')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(esc('line\r\nnext\tcell')).toBe('line\r\nnext\tcell');
  });
});
