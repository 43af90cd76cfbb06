import { displayKey, requestFingerprint, saleIdempotencyKey } from './idempotency';

describe('saleIdempotencyKey', () => {
  test('the header wins over metadata.invoiceId', () => {
    expect(saleIdempotencyKey('evt_1', { invoiceId: 'inv_1' })).toBe('key:evt_1');
  });

  test('metadata.invoiceId (string or number) when there is no header', () => {
    expect(saleIdempotencyKey(undefined, { invoiceId: 'inv_1' })).toBe('invoice:inv_1');
    expect(saleIdempotencyKey(undefined, { invoiceId: 42 })).toBe('invoice:42');
  });

  test('no key otherwise', () => {
    expect(saleIdempotencyKey(undefined, null)).toBeNull();
    expect(saleIdempotencyKey(undefined, { invoiceId: '' })).toBeNull();
    expect(saleIdempotencyKey(undefined, { invoiceId: { nested: true } })).toBeNull();
    expect(saleIdempotencyKey('', undefined)).toBeNull();
  });

  test('the key shows as the caller wrote it', () => {
    expect(displayKey('key:a:b')).toBe('a:b');
    expect(displayKey('invoice:inv_1')).toBe('inv_1');
  });
});

describe('requestFingerprint', () => {
  test('ignores key order, at any depth', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      requestFingerprint({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
  });

  test('differs when a value or array order differs', () => {
    expect(requestFingerprint({ amount: 100 })).not.toBe(requestFingerprint({ amount: 101 }));
    expect(requestFingerprint({ list: [1, 2] })).not.toBe(requestFingerprint({ list: [2, 1] }));
  });
});
