import { DomainError } from '@hop/errors';
import { shapeError } from './error-shapes';

const rateLimited = new DomainError('RATE_LIMITED', { extra: { retryAfter: 12 } });
const forbidden = new DomainError('MISSING_SCOPES', { extra: { missingScopes: ['linksRead'] } });

describe('shapeError: one body shape per API', () => {
  it('Hoko: the documented bilingual bodies, exactly', () => {
    expect(shapeError('hoko', new DomainError('INVALID_API_KEY'))).toEqual({
      status: 401,
      body: { error: { en: 'Invalid API key', ar: 'مفتاح API غير صالح' } },
    });
    expect(shapeError('hoko', forbidden)).toEqual({
      status: 403,
      body: { error: { en: 'Missing required scopes', ar: 'الصلاحيات المطلوبة مفقودة' }, missingScopes: ['linksRead'] },
    });
    expect(shapeError('hoko', rateLimited)).toEqual({
      status: 429,
      body: { error: { en: 'Rate limit exceeded', ar: 'تم تجاوز حد المعدل' }, retryAfter: 12 },
    });
  });

  it('Shortpen: {success:false,status_code,message}', () => {
    expect(shapeError('shortpen', new DomainError('INVALID_API_KEY'))).toEqual({
      status: 401,
      body: { success: false, status_code: 401, message: 'Unauthenticated.' },
    });
    expect(shapeError('shortpen', rateLimited).body).toEqual({ success: false, status_code: 429, message: 'Too Many Attempts.' });
    expect(shapeError('shortpen', new DomainError('INTERNAL'))).toEqual({
      status: 500,
      body: { success: false, status_code: 500, message: 'Server error.' },
    });
  });

  it('Hozip: {detail,error_code}', () => {
    expect(shapeError('hozip', new DomainError('INVALID_API_KEY'))).toEqual({
      status: 401,
      body: { detail: 'Invalid token.', error_code: 'authentication_failed' },
    });
    expect(shapeError('hozip', rateLimited).body).toEqual({
      detail: 'Request was throttled. Expected available in 12 seconds.',
      error_code: 'throttled',
    });
    expect(shapeError('hozip', forbidden)).toEqual({
      status: 403,
      body: { detail: 'You do not have permission to perform this action. Missing scopes: linksRead.', error_code: 'permission_denied' },
    });
  });
});
