import { ApiContract, apiContract, type Exchange } from './contract';

const contract = apiContract();
const RATE = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '59', 'x-ratelimit-reset': '1767225600' };
const REQUEST_ID = { 'x-request-id': '6f1c2d9e-8a47-4c1b-9d2e-3f4a5b6c7d8e' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const TAG = { id: '6f1c2d9e-8a47-4c1b-9d2e-3f4a5b6c7d8e', name: 'a', color: 'red' };

function exchange(overrides: Partial<Omit<Exchange, 'headers' | 'body'>> & { headers?: Record<string, string>; body?: unknown } = {}): Exchange {
  const { headers = { ...JSON_TYPE, ...REQUEST_ID, ...RATE, 'x-total-count': '1' }, body = [TAG], ...rest } = overrides;
  return {
    method: 'GET',
    url: '/api/tags',
    requestHeaders: {},
    status: 200,
    via: 'gateway',
    ...rest,
    headers: new Headers(headers),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('ApiContract (against the real document)', () => {
  it('accepts an answer exactly as documented', () => {
    expect(contract.check(exchange())).toEqual([]);
  });

  it('names an undocumented status', () => {
    expect(contract.check(exchange({ status: 418 }))).toEqual([expect.stringMatching(/status 418 is not documented/)]);
  });

  it('names a documented header that is missing, and one sent without being documented', () => {
    const { 'x-total-count': _dropped, ...withoutTotal } = { ...JSON_TYPE, ...REQUEST_ID, ...RATE, 'x-total-count': '1' };
    expect(contract.check(exchange({ headers: withoutTotal }))).toEqual([expect.stringMatching(/header x-total-count is documented as always sent/)]);
    expect(contract.check(exchange({ headers: { ...JSON_TYPE, ...REQUEST_ID, ...RATE, 'x-total-count': '1', 'x-debug': '1' } }))).toEqual([
      expect.stringMatching(/header x-debug is sent but not documented/),
    ]);
  });

  it('does not expect the gateway\'s headers on an answer straight from a service', () => {
    expect(contract.check(exchange({ via: 'service', headers: { ...JSON_TYPE, ...REQUEST_ID, 'x-total-count': '1' } }))).toEqual([]);
  });

  it('validates the body for the status', () => {
    expect(contract.check(exchange({ body: [{ ...TAG, color: 'plaid' }] }))).toEqual([expect.stringMatching(/body \/0\/color must be equal to one of the allowed values/)]);
  });

  it('expects an unknown route to answer 404 in its API\'s shape', () => {
    const notFound = { error: { en: 'Not found', ar: 'غير موجود' } };
    expect(contract.check(exchange({ url: '/api/nothing', status: 404, body: notFound, headers: { ...JSON_TYPE, ...REQUEST_ID } }))).toEqual([]);
    expect(contract.check(exchange({ url: '/api/nothing', status: 200 }))).toEqual([expect.stringMatching(/not in the document, yet answered 200/)]);
    expect(contract.check(exchange({ url: '/v1/nothing', status: 404, body: notFound, headers: { ...JSON_TYPE, ...REQUEST_ID } }))).toEqual([
      expect.stringMatching(/body \(root\) must have required property 'success'/),
    ]);
  });

  it('holds the document to what the server accepts and refuses', () => {
    const invalid = { error: { en: 'Invalid request', ar: 'طلب غير صالح' }, details: [{ path: '[0].url', message: 'must be an absolute http(s) URL' }] };
    const errorHeaders = { ...JSON_TYPE, ...REQUEST_ID, ...RATE };
    const post = (body: unknown, status: number, answer: unknown) =>
      contract.check(exchange({ method: 'POST', url: '/api/links', requestBody: JSON.stringify(body), status, body: answer, headers: errorHeaders }));
    expect(post([{ url: 'ftp://example.com', collectionId: TAG.id }], 400, invalid)).toEqual([]);
    expect(post([{ url: 'https://example.com', collectionId: TAG.id }], 400, invalid)).toEqual([expect.stringMatching(/the document's request schema accepts it/)]);
    expect(contract.check(exchange({ url: '/api/tags?color=red' }))).toEqual([expect.stringMatching(/accepted a request the document refuses: query parameter color is not documented/)]);
  });

  it('refuses a document whose $ref leads nowhere', () => {
    const broken = new ApiContract({ paths: { '/x': { get: { responses: { '200': { $ref: '#/components/responses/Missing' } } } } } });
    expect(() => broken.check(exchange({ url: '/x' }))).toThrow(/does not resolve/);
  });
});
