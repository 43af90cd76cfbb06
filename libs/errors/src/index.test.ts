import { DomainError, itemDetail, invalid } from './index';

describe('DomainError', () => {
  it('carries a code and details, not a status', () => {
    const e = invalid([itemDetail(3, 'url', 'must be an absolute http(s) URL')]);
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.details).toEqual([{ path: '[3].url', index: 3, field: 'url', message: 'must be an absolute http(s) URL' }]);
    expect((e as unknown as Record<string, unknown>).status).toBeUndefined();
  });
});
