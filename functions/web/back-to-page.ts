import { localeParam } from '../pages/i18n';
import { type HttpResult, html } from '../shared/http';
import type { CitizenInput, CitizenWebDeps } from './deps';

// The addresses the page's forms post to, asked for with GET: after a refused form the browser shows the
// form's address, and a phone that restores the tab, or a reload, asks for it again. They lead back to the
// page (at the step the form was for), rather than to the API's bare JSON 404. Nothing is read: the page
// itself checks the link.

export const BACK_TO_PAGE_ROUTES = [
  'GET /c/{linkToken}/steps/{stepId}',
  'GET /c/{linkToken}/reopen',
  'GET /c/{linkToken}/delegates',
];

export async function backToPage(
  deps: Pick<CitizenWebDeps, 'publicUrl'>,
  input: CitizenInput,
): Promise<HttpResult> {
  const token = encodeURIComponent(input.path.linkToken ?? '');
  const locale = localeParam(input.query.lang);
  const lang = locale ? `?lang=${locale}` : '';
  const at = input.path.stepId ? `#step-${encodeURIComponent(input.path.stepId)}` : '';
  return html(303, '', { location: `${deps.publicUrl}/c/${token}${lang}${at}` });
}
