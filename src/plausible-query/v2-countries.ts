/**
 * Country codes (what Footfall stores) and their English names (what visit:country_name shows and
 * filters on), from the runtime's CLDR data. Names can differ from Plausible's in places
 * ("Czechia", "Türkiye"): a filter on a name this table does not know matches no country.
 */

const longNames = new Intl.DisplayNames(['en'], { type: 'region' });
const shortNames = new Intl.DisplayNames(['en'], { type: 'region', style: 'short' });
/** Region codes CLDR names that are not countries. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** code -> its names: the long English name first, then the short one when it differs ("Hong Kong"). */
let countries: Map<string, string[]> | null = null;

function allCountries(): Map<string, string[]> {
  if (countries === null) {
    countries = new Map();
    for (let a = 65; a <= 90; a += 1) {
      for (let b = 65; b <= 90; b += 1) {
        const code = String.fromCharCode(a, b);
        const name = longNames.of(code);
        // Deprecated codes (DD, SU, UK...) are aliases of current ones: only current codes are stored.
        if (!name || name === code || NOT_COUNTRIES.has(code) || Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
        const short = shortNames.of(code);
        countries.set(code, short && short !== name && short !== code ? [name, short] : [name]);
      }
    }
  }
  return countries;
}

/** The English name of a stored code; the code itself when it has none. */
export function countryName(code: string): string {
  return allCountries().get(code)?.[0] ?? code;
}

/** The codes of the countries one of whose English names passes `test`. */
export function countryCodesWhere(test: (name: string) => boolean): string[] {
  return [...allCountries()].filter(([, names]) => names.some(test)).map(([code]) => code);
}
