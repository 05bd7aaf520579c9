import { describe, expect, it } from 'vitest';
import { errorPage } from '../../../functions/pages/error-page';
import { ConflictError, LinkRevokedError, ValidationError } from '../../../functions/shared/errors';

describe('the citizen error page', () => {
  it.each([
    [400, new ValidationError('Give the day as YYYY-MM-DD.'), 'Niet alles is goed ingevuld'],
    [409, new ConflictError('PROPOSAL_ALREADY_OPEN', 'open'), 'wacht al een voorstel'],
    [409, new ConflictError('REOPEN_WINDOW_CLOSED', 'closed'), 'te lang geleden afgerond'],
    [409, new ConflictError('DELEGATE_LIMIT', 'limit'), 'niet meer helpers'],
    [409, new ConflictError('DELEGATE_REVOKED', 'twice'), 'al ingetrokken'],
    [410, new LinkRevokedError(), 'ingetrokken door wie hem u gaf'],
  ])('says what went wrong with a refused form (%i)', (status, error, words) => {
    const html = errorPage(status, error, '');
    expect(html).toContain(words);
    expect(html).not.toContain('Dit verzoek kan niet worden verwerkt');
  });

  it('titles a withdrawn link as withdrawn, not expired', () => {
    const html = errorPage(410, new LinkRevokedError(), '');
    expect(html).toContain('Link ingetrokken');
    expect(html).not.toContain('Link verlopen');
  });

  it('keeps the general words for a refusal it has none for', () => {
    expect(errorPage(409, new ConflictError('SOMETHING_NEW', 'x'), '')).toContain(
      'Dit verzoek kan niet worden verwerkt',
    );
  });
});
