import { request } from '../contract/assets';
import { asset } from '../pages/assets';
import { NotFoundError } from '../shared/errors';
import { html, httpRoute } from '../shared/http';

// GET /c/assets/{file}: the pages' stylesheet. A function of its own, with no AWS client and no
// configuration, so the sheet adds nothing to the cold start of the page functions.

export const handler = httpRoute(request, async ({ path }) => {
  const found = asset(path.file);
  if (!found) throw new NotFoundError('There is no such file.', { file: path.file });
  return html(200, found.body, {
    'content-type': found.type,
    'cache-control': 'public, max-age=31536000, immutable',
    'content-security-policy': "default-src 'none'",
  });
});
