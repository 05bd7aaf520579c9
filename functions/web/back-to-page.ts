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
  const lang = input.query.lang === 'en' || input.query.lang === 'nl' ? `?lang=${input.query.lang}` : '';
  const at = input.path.stepId ? `#step-${encodeURIComponent(input.path.stepId)}` : '';
  return html(303, '', { location: `${deps.publicUrl}/c/${token}${lang}${at}` });
}
