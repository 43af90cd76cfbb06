import { DomainError } from '@hop/errors';
import { ERROR_TABLE } from './error-table';
import { toHttpError } from './errors';

/** Latin-script words an Arabic message may keep: technical acronyms written so in Arabic too. */
const KEPT_IN_LATIN = new Set(['API', 'CSRF', 'UTF']);
const latinWords = (text: string) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !KEPT_IN_LATIN.has(w));

describe('the error table in Arabic', () => {
  it('writes every message in Arabic, outside its {params}', () => {
    const untranslated = Object.entries(ERROR_TABLE)
      .map(([code, row]) => [code, latinWords(row.ar.replace(/\{\w+\}/g, ''))] as const)
      .filter(([, words]) => words.length);
    expect(untranslated).toEqual([]);
  });

  it('names every resource the services name (any case, several joined) in Arabic', () => {
    const labels = ['Link', 'Domain', 'domain', 'Collection', 'Tag', 'tag', 'Partner', 'Webhook', 'Workspace', 'Collection, Tag, Partner'];
    for (const resource of labels) {
      const { body } = toHttpError(new DomainError('RESOURCE_NOT_FOUND', { params: { resource, ids: '42' } }));
      expect({ resource, words: latinWords(body.error.ar) }).toEqual({ resource, words: [] });
    }
    const duplicate = toHttpError(new DomainError('DUPLICATE_NAME', { params: { resource: 'tag', name: 'spring' } })).body.error;
    expect(duplicate).toEqual({ en: 'A tag named "spring" already exists', ar: 'يوجد بالفعل وسم بالاسم "spring"' });
    expect(toHttpError(new DomainError('RESOURCE_NOT_FOUND', { params: { resource: 'Collection, Tag', ids: '7' } })).body.error.ar).toBe(
      'لا يوجد مجموعة أو وسم بهذا المعرف في مساحة العمل الخاصة بك: 7',
    );
  });

  it('fills a reason written in both languages in each', () => {
    const { body } = toHttpError(new DomainError('CONFLICT', { params: { reason: { en: 'token already used', ar: 'الرمز مستخدم بالفعل' } } }));
    expect(body.error).toEqual({ en: 'Conflict: token already used', ar: 'تعارض: الرمز مستخدم بالفعل' });
  });
});
