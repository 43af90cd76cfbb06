import { baseDestination, finalDestination, targetUrl, utmParams } from './destination';

describe('destination', () => {
  const route = {
    utm: { source: 'news', medium: 'email', campaign: 'spring', term: null, content: '', referral: 'partner1' },
    params: { plan: 'pro', utm_medium: 'param-wins' },
  };

  it('maps utm to utm_* and referral to ref, skipping empty values', () => {
    expect(utmParams(route.utm)).toEqual({ utm_source: 'news', utm_medium: 'email', utm_campaign: 'spring', ref: 'partner1' });
    expect(utmParams(null)).toBeNull();
    expect(utmParams({ term: null })).toBeNull();
  });

  it('layers URL query < utm < params, and drops a hoko_id the URL carried', () => {
    const base = new URL(baseDestination('https://shop.example/p?utm_source=url&keep=1&hoko_id=old#top', route));
    expect(base.searchParams.get('keep')).toBe('1');
    expect(base.searchParams.get('utm_source')).toBe('news'); // utm beats the URL's own query
    expect(base.searchParams.get('utm_medium')).toBe('param-wins'); // params beat utm
    expect(base.searchParams.get('ref')).toBe('partner1');
    expect(base.searchParams.get('plan')).toBe('pro');
    expect(base.searchParams.has('hoko_id')).toBe(false);
    expect(base.hash).toBe('#top');
  });

  it('appends hoko_id before the fragment when the visitor forwards nothing', () => {
    expect(finalDestination('https://a.example/x#frag', null, 'c1')).toBe('https://a.example/x?hoko_id=c1#frag');
    expect(finalDestination('https://a.example/x?y=1', null, 'c1')).toBe('https://a.example/x?y=1&hoko_id=c1');
    expect(finalDestination('https://a.example/x?y=1', new URLSearchParams('qr=1'), 'c1')).toBe('https://a.example/x?y=1&hoko_id=c1');
  });

  it('lets visitor parameters replace every value of the same name, keeps their repeats, never forwards qr or their hoko_id', () => {
    const base = baseDestination('https://a.example/x?a=url&b=url', { utm: { source: 'link' }, params: { c: 'link' } });
    const url = new URL(finalDestination(base, new URLSearchParams('a=v1&a=v2&utm_source=visitor&qr=1&hoko_id=forged&d=new'), 'click-9'));
    expect(url.searchParams.getAll('a')).toEqual(['v1', 'v2']);
    expect(url.searchParams.get('b')).toBe('url');
    expect(url.searchParams.get('c')).toBe('link');
    expect(url.searchParams.get('utm_source')).toBe('visitor');
    expect(url.searchParams.get('d')).toBe('new');
    expect(url.searchParams.has('qr')).toBe(false);
    expect(url.searchParams.getAll('hoko_id')).toEqual(['click-9']);
  });

  it('targets iOS and Android first, then the country, else the url', () => {
    const r = { url: 'https://default.example', ios: 'https://ios.example', android: 'https://android.example', geo: { SA: 'https://sa.example' } };
    expect(targetUrl(r, { os: 'iOS', country: 'SA' })).toBe('https://ios.example');
    expect(targetUrl(r, { os: 'Android', country: 'SA' })).toBe('https://android.example');
    expect(targetUrl(r, { os: 'Windows', country: 'SA' })).toBe('https://sa.example');
    expect(targetUrl(r, { os: null, country: 'FR' })).toBe('https://default.example');
    expect(targetUrl({ ...r, ios: null }, { os: 'iOS', country: null })).toBe('https://default.example');
  });
});
