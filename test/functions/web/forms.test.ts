import { describe, expect, it } from 'vitest';
import { PiiVault } from '../../../functions/domain/pii';
import { AppError, ValidationError } from '../../../functions/shared/errors';
import { rootPathOf } from '../../../functions/shared/http';
import { citizenErrors, csrfFor, formValues, isJsonType, wantsJson } from '../../../functions/web/forms';
import { httpEvent } from '../../support/http-event';
import { TEST_PII_KEY } from '../../support/secrets';

// The citizen routes' shared edge, now that it takes the vault and the public URL from its caller: a
// deployment under a path (an API Gateway stage, a municipality's /zaken) keeps its links under it.

const vault = new PiiVault(TEST_PII_KEY);
const TOKEN = 'link-token-1';

describe('the citizen forms', () => {
  it('accepts a form only with the CSRF value of its own link', () => {
    const values = formValues(vault, { _csrf: csrfFor(vault, TOKEN), correct: 'ja' }, TOKEN);
    expect(values).toEqual({ correct: 'ja' });
    expect(csrfFor(vault, 'other-token')).not.toBe(csrfFor(vault, TOKEN));
    for (const body of [{ correct: 'ja' }, { _csrf: csrfFor(vault, 'other-token') }, undefined]) {
      let thrown: unknown;
      try {
        formValues(vault, body, TOKEN);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe('CSRF');
    }
  });

  it('tells JSON from a form by the media type, with or without parameters', () => {
    expect(isJsonType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonType('application/merge-patch+json')).toBe(true);
    expect(isJsonType('application/x-www-form-urlencoded')).toBe(false);
    expect(wantsJson({ accept: 'application/json' })).toBe(true);
    expect(wantsJson({ accept: 'text/html' })).toBe(false);
  });

  it("answers a form's failure with a page whose way back stays under the public URL's path", () => {
    expect(rootPathOf('https://gemeente.example.nl/zaken/')).toBe('/zaken');
    const answer = citizenErrors('https://gemeente.example.nl/zaken/');
    const event = httpEvent({
      method: 'POST',
      routeKey: 'POST /c/{linkToken}/steps/{stepId}',
      pathParameters: { linkToken: TOKEN, stepId: 'sort' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const page = answer(400, new ValidationError('Check the form.'), event);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'none'");
    expect(page.body).toContain(`href="/zaken/c/${TOKEN}"`);
    // Nothing to go back to when the case itself is the problem.
    expect(answer(404, new ValidationError('gone'), event).body).not.toContain(`/c/${TOKEN}"`);
  });

  it('answers JSON, and every DELETE, with the error body', () => {
    const answer = citizenErrors('https://gemeente.example.nl');
    const json = httpEvent({ method: 'POST', headers: { accept: 'application/json' } });
    const remove = httpEvent({ method: 'DELETE', headers: { accept: 'text/html' } });
    for (const event of [json, remove]) {
      const result = answer(400, new ValidationError('Check the form.'), event);
      expect(result.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(result.body)).toMatchObject({
        error: { code: 'VALIDATION_FAILED', message: 'Check the form.' },
      });
    }
  });
});
