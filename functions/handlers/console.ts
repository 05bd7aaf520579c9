import { services } from '../../workflows/catalog';
import { engine } from '../adapters/engine';
import { notifier } from '../adapters/notifier';
import { reportTally as tally } from '../adapters/report-tally';
import { processingLog, reopener, repository } from '../adapters/repository';
import { sessions } from '../adapters/sessions';
import { consoleApp } from '../console/app';
import { toLogin } from '../console/auth';
import { oidcConfig } from '../console/config';
import { basePath, type ConsoleDeps, secureCookies } from '../console/deps';
import { consoleErrorPage } from '../console/error-page';
import { Jwks } from '../console/oidc';
import { LANG_COOKIE, readCookie, setCookie } from '../console/session';
import { request } from '../contract/console';
import { systemClock } from '../domain/clock';
import type { Locale } from '../domain/model';
import { localeParam } from '../pages/i18n';
import { eraser } from '../privacy/eraser';
import { proposalStore } from '../proposals/adapters';
import { taskRetimer } from '../proposals/retimer';
import { rounds } from '../rounds/repository';
import { UnauthenticatedError } from '../shared/errors';
import { type HttpEvent, html, httpRoute } from '../shared/http';
import { linkTtlDays, publicUrl, retentionDays } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// GET /console, GET|POST /console/{proxy+}: the caseworker console, server-rendered HTML with its
// own session (the routes have no gateway authorizer). The pages live in functions/console/.

const fetcher = (url: string, init?: RequestInit) => fetch(url, init);
const deps: ConsoleDeps = {
  repo: repository,
  reopener,
  notifier,
  log: processingLog,
  eraser,
  rounds,
  engine,
  sessions,
  clock: systemClock,
  vault,
  publicUrl,
  linkTtlDays,
  retentionDays,
  oidc: oidcConfig,
  jwks: new Jwks(oidcConfig.jwksUrl, fetcher),
  fetch: fetcher,
  services,
  tally,
  proposals: { store: proposalStore, retimer: taskRetimer },
};

function localeOf(event: HttpEvent): { locale: Locale; chosen: boolean } {
  const asked = localeParam(event.queryStringParameters?.lang);
  if (asked) return { locale: asked, chosen: true };
  return { locale: readCookie(event.cookies, LANG_COOKIE) === 'en' ? 'en' : 'nl', chosen: false };
}

export const handler = httpRoute(
  request,
  async (input, event) => {
    const { locale, chosen } = localeOf(event);
    const proxy = input.path.proxy;
    const result = await consoleApp(deps, {
      method: event.requestContext.http.method,
      rel: proxy === undefined ? '' : `/${proxy}`,
      query: input.query,
      body: input.body ?? {},
      cookies: event.cookies,
      locale,
      trace: traceOf(event.headers),
    });
    if (!chosen) return result;
    const lang = setCookie(LANG_COOKIE, locale, {
      path: basePath(deps),
      secure: secureCookies(deps),
      maxAge: 31_536_000,
    });
    return { ...result, cookies: [...(result.cookies ?? []), lang] };
  },
  (status, error, event) => {
    if (error instanceof UnauthenticatedError) return toLogin(deps);
    const rel = event.pathParameters?.proxy === undefined ? '' : `/${event.pathParameters.proxy}`;
    return html(status, consoleErrorPage(status, error, localeOf(event).locale, basePath(deps), rel));
  },
);
