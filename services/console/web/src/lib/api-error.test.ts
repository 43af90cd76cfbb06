import { describe, expect, it } from 'vitest';
import { detailMessage, fieldErrors, readApiError } from './api-error';

describe('API errors in the console', () => {
  const body = {
    error: { en: 'Invalid request', ar: 'طلب غير صالح' },
    details: [
      { path: '[0].url', index: 0, field: 'url', message: 'must be an absolute http(s) URL' },
      { path: '[0].utm.source', index: 0, field: 'utm.source', message: 'length must be less than or equal to 500 characters long' },
      { path: '[1].url', index: 1, field: 'url', message: 'is required' },
      { path: '[0].geo', index: 0, field: 'geo', message: 'something the console does not know' },
    ],
  };

  it('keeps the API message in both languages', () => {
    const error = readApiError(400, body);
    expect(error.in('en')).toBe('Invalid request');
    expect(error.in('ar')).toBe('طلب غير صالح');
  });

  it('maps the details of one item to its fields, in the user language', () => {
    const error = readApiError(400, body);
    expect(fieldErrors(error, 'en')).toEqual({
      url: 'must be an absolute http(s) URL',
      'utm.source': 'length must be less than or equal to 500 characters long',
      geo: 'something the console does not know',
    });
    const arabic = fieldErrors(error, 'ar');
    expect(arabic.url).toMatch(/http/);
    expect(arabic.url).not.toBe('must be an absolute http(s) URL');
    expect(arabic['utm.source']).toContain('500');
    // an unknown sentence is shown as the API wrote it rather than dropped
    expect(arabic.geo).toBe('something the console does not know');
    expect(fieldErrors(error, 'en', 1)).toEqual({ url: 'is required' });
  });

  it('joins two problems of one field and keeps query-level problems by path', () => {
    const error = readApiError(400, {
      error: { en: 'Invalid request', ar: 'طلب غير صالح' },
      details: [
        { path: 'take', field: 'take', message: 'must be a number' },
        { path: 'take', field: 'take', message: 'is required' },
      ],
    });
    expect(fieldErrors(error, 'ar').take).toBe('must be a number; هذا الحقل مطلوب');
  });

  it('survives bodies that are not Hop error shapes', () => {
    const error = readApiError(502, '<html>bad gateway</html>');
    expect(error.in('en')).toBe('Request failed (502)');
    expect(error.in('ar')).toContain('502');
    expect(error.details).toEqual([]);
    expect(readApiError(400, { error: { en: 'x' }, details: [{ path: 1 }, null] }).details).toEqual([]);
  });

  it('translates parameterised sentences', () => {
    expect(detailMessage('must be one of [301, 302]', 'ar')).toContain('301, 302');
    expect(detailMessage('is required', 'en')).toBe('is required');
    expect(detailMessage('must have less than or equal to 50 keys', 'ar')).toBe('يجب ألا يتجاوز عدد العناصر 50');
  });
});

describe('the API’s field messages in Arabic', () => {
  it('reads plan, key and domain problems of the link form', () => {
    expect(detailMessage('needs the geoTargeting feature, which your plan does not include', 'ar')).toBe('يتطلب ميزة geoTargeting التي لا تشملها خطتك');
    expect(detailMessage('"spring" is already used on go.example.com', 'ar')).toBe('المفتاح "spring" مستخدم بالفعل على go.example.com');
    expect(detailMessage('go.example.com is not a verified domain of your workspace', 'ar')).toBe('go.example.com ليس نطاقًا مُتحقَّقًا منه في مساحة عملك');
  });
});
