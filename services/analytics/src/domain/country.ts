const regionNames = new Intl.DisplayNames('en', { type: 'region' });
// Intl lookups are slow next to a map, and there are only ~250 codes.
const names = new Map<string, string | null>();

/** English name of an ISO 3166-1 alpha-2 code ("US" → "United States"); null when unknown. */
export function countryName(code: string | null | undefined): string | null {
  if (!code || !/^[A-Za-z]{2}$/.test(code)) return null;
  const upper = code.toUpperCase();
  let name = names.get(upper);
  if (name === undefined) {
    const found = regionNames.of(upper);
    name = found && found !== upper && found !== 'Unknown Region' ? found : null;
    names.set(upper, name);
  }
  return name;
}
