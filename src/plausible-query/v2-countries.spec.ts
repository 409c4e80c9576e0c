import { countryCodesWhere, countryName } from './v2-countries';

describe('countries', () => {
  it('names countries in English and finds codes by name', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('HK')).toBe('Hong Kong SAR China');
    expect(countryName('Q1')).toBe('Q1');
    expect(countryCodesWhere((name) => name === 'Hong Kong')).toEqual(['HK']);
    expect(countryCodesWhere((name) => name === 'Germany')).toEqual(['DE']);
    expect(countryCodesWhere((name) => name === 'United Kingdom')).toEqual(['GB']);
    expect(countryCodesWhere((name) => name === 'European Union')).toEqual([]);
  });
});
