import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/handlers/assets';
import { STYLE_FILE } from '../../../functions/pages/style-file';
import { errorCode, invoke } from '../../support/http-event';

describe('GET /c/assets/{file}', () => {
  it('serves the pages stylesheet under its content-hashed name, cacheable for a year', async () => {
    const css = await invoke(handler, {
      path: `/c/assets/${STYLE_FILE}`,
      pathParameters: { file: STYLE_FILE },
    });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toContain('.utrecht-button');
  });

  it('answers 404 for any other file', async () => {
    const missing = await invoke(handler, { path: '/c/assets/x.css', pathParameters: { file: 'x.css' } });
    expect(missing.statusCode).toBe(404);
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });
});
