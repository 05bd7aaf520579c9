import { describe, expect, it } from 'vitest';
import { orgDisplayName } from '../../../functions/domain/org-name';

describe('orgDisplayName', () => {
  it('turns an organisation id into the name a citizen knows', () => {
    expect(orgDisplayName('gemeente-utrecht')).toBe('Gemeente Utrecht');
    expect(orgDisplayName('gemeente-alphen-aan-den-rijn')).toBe('Gemeente Alphen aan den Rijn');
    expect(orgDisplayName('basisschool-de-regenboog')).toBe('Basisschool de Regenboog');
  });

  it('keeps a leading small word capitalised and tolerates odd separators', () => {
    expect(orgDisplayName('de_zorgboog')).toBe('De Zorgboog');
    expect(orgDisplayName('thuiszorg--west')).toBe('Thuiszorg West');
  });
});
