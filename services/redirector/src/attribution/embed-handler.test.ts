import { attributionOf } from './embed-handler';

describe('attributionOf', () => {
  it('keeps the UTM parameters and ref, keyed like redirect clicks, with referral only when ref is absent', () => {
    const query = new URLSearchParams('utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=top&ref=anna&referral=bob&other=x');
    expect(attributionOf(query)).toEqual({ source: 'news', medium: 'email', campaign: 'spring', term: 'shoes', content: 'top', referral: 'anna' });
    expect(attributionOf(new URLSearchParams('referral=bob'))).toEqual({ referral: 'bob' });
  });

  it('drops empty values', () => {
    expect(attributionOf(new URLSearchParams('utm_source=&ref='))).toEqual({});
  });
});
