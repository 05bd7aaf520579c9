import { describe, expect, it } from 'vitest';
import { consoleErrorPage } from '../../../functions/console/error-page';
import { ConflictError, NotFoundError, ValidationError } from '../../../functions/shared/errors';

// A refusal in the console reads in the staff member's language; the domain's English message only
// where no text says it, or after the text where it names what to fix.

const body = (html: string) => html.slice(html.indexOf('<h1>'));

describe("the console's error page", () => {
  it('says a double submit in the language of the console, and that it was not saved', () => {
    const refusal = new ConflictError('STEP_NOT_OPEN', "Step 'collect' is not open.");
    const nl = body(consoleErrorPage(409, refusal, 'nl', '/console'));
    expect(nl).toContain('<h1>Dat kan nu niet</h1>');
    expect(nl).toContain('door u of een collega');
    expect(nl).toContain('niet opgeslagen');
    expect(nl).not.toContain('is not open');
    expect(nl).not.toContain('lang="en"');
    expect(body(consoleErrorPage(409, refusal, 'en', '/console'))).toContain('by you or a colleague');
  });

  it('says a step that has not opened yet as such, and links back to the case the form was on', () => {
    const early = new ConflictError('STEP_NOT_OPEN', "Step 'accept-plan' is not open.", {
      status: 'PENDING',
    });
    const nl = body(consoleErrorPage(409, early, 'nl', '/console', '/cases/c1/steps/accept-plan/proposals'));
    expect(nl).toContain('nog niet aan de beurt');
    expect(nl).not.toContain('door u of een collega');
    expect(nl).toContain('<a href="/console/cases/c1">Terug naar de zaak</a>');
    // A case that is not there (or not theirs) has no way back to it.
    const missing = body(consoleErrorPage(404, new NotFoundError('x'), 'en', '/console', '/cases/c9'));
    expect(missing).toContain('<a href="/console">Back to the console</a>');
  });

  it('adds the domain message after the text where it names what to fix, marked as English', () => {
    const refused = new ValidationError('Give a reason.', { fields: { reason: 'Give a reason.' } });
    const nl = body(consoleErrorPage(400, refused, 'nl', '/console'));
    expect(nl).toMatch(/<p>Niet alles is goed ingevuld.*<\/p><p lang="en">Give a reason\.<\/p>/);
  });

  it('falls back to the domain message, marked as English, for a code without a text; never internals', () => {
    const other = new ConflictError('SOMETHING_NEW', 'Something new happened.');
    expect(body(consoleErrorPage(409, other, 'nl', '/console'))).toContain(
      '<p lang="en">Something new happened.</p>',
    );
    const crash = body(consoleErrorPage(500, new Error('TypeError at line 3'), 'nl', '/console'));
    expect(crash).toContain('Probeer het later nog eens.');
    expect(crash).not.toContain('TypeError');
    expect(
      body(consoleErrorPage(404, new NotFoundError('There is no such case.'), 'nl', '/console')),
    ).toContain('bestaat niet, of is niet van uw organisatie');
  });
});
