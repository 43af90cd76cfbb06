import { describe, expect, it } from 'vitest';
import { leaves, mergeMessages } from './messages/merge';
import { MESSAGE_MODULES, resources } from './resources';

const placeholders = (text: string) => (text.match(/{{\w+}}/g) ?? []).sort();

describe('the console’s string modules', () => {
  it.each(MESSAGE_MODULES.map((m) => [m.name, m] as const))('%s has every English string in Arabic, with the same placeholders', (_name, module) => {
    const arabic = new Map(leaves(module.ar));
    for (const [key, english] of leaves(module.en)) {
      const translated = arabic.get(key) ?? '';
      expect([key, translated.length > 0, placeholders(translated)]).toEqual([key, true, placeholders(english)]);
    }
    expect(leaves(module.ar).length).toBe(leaves(module.en).length);
  });

  it('merges the modules without losing a string', () => {
    const count = (language: 'en' | 'ar') => MESSAGE_MODULES.reduce((n, m) => n + leaves(m[language]).length, 0);
    expect(leaves(resources.en.translation).length).toBe(count('en'));
    expect(leaves(resources.ar.translation).length).toBe(count('ar'));
    // a page module adds to a base group (nav) without replacing it
    expect(resources.en.translation.nav).toMatchObject({ links: 'Links', collections: 'Collections' });
  });

  it('refuses a string two modules define', () => {
    expect(() => mergeMessages({ nav: { links: 'Links' } }, { nav: { links: 'Other' } })).toThrow('message nav.links is defined twice');
    expect(() => mergeMessages({ nav: 'Main' }, { nav: { links: 'Links' } })).toThrow('defined twice');
  });
});
