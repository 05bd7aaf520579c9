import { request as consoleRoutes } from './console';
import { form, moved, page, type RouteContract } from './route-answers';

// The caseworker console: server-rendered pages behind its own session (functions/console/).

export const CONSOLE_ROUTES: Record<string, RouteContract> = {
  'GET /console': {
    summary: 'The caseworker console (HTML), behind its own session.',
    request: consoleRoutes,
    answers: { '200': [page('The console.')], '302': [moved('Sign in first.')] },
  },
  'GET /console/{proxy+}': {
    summary: "The console's pages; /console/login and /console/signed-out need no session.",
    request: consoleRoutes,
    answers: {
      '200': [
        page('A page.'),
        {
          description: 'A service report as CSV (/console/services/{id}/report?format=csv).',
          type: 'text/csv',
        },
      ],
      '302': [moved('Sign in first, or on to the managed login.')],
      '303': [moved('Signed in.')],
      '400': [page('A bad request.')],
      '404': [page('No such page, or one the staff member may not reach.')],
    },
  },
  'POST /console/{proxy+}': {
    summary: "The console's forms, each with the session's CSRF token.",
    request: consoleRoutes,
    bodies: { 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Done: on to the result, or to the managed login’s sign-out.')],
      '302': [moved('Sign in first.')],
      '400': [page('The form again, with what to fix.')],
      '403': [page('Not this session’s form (CSRF).')],
      '404': [page('No such page, or one the staff member may not reach.')],
      '409': [page('Not possible in this state.')],
    },
  },
};
