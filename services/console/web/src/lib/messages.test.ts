import { ar, en } from './messages';

/** Every key path of a message tree with its value. */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`),
  );
}

describe('console messages', () => {
  it('has every English string in Arabic, with the same placeholders', () => {
    const arabic = new Map(leaves(ar));
    for (const [key, english] of leaves(en)) {
      const translated = arabic.get(key);
      expect(translated && translated.length > 0).toBe(true);
      const placeholders = (text: string) => (text.match(/{{\w+}}/g) ?? []).sort();
      expect([key, placeholders(translated ?? '')]).toEqual([key, placeholders(english)]);
    }
    expect(leaves(ar).length).toBe(leaves(en).length);
  });
});
