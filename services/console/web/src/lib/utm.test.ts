import { describe, expect, it } from 'vitest';
import { destinationWithUtm, splitUtm } from './utm';

describe('the UTM builder', () => {
  it('appends the filled fields as the redirector will, replacing the destination’s own', () => {
    expect(destinationWithUtm('https://shop.example/a?utm_source=old&x=1', { source: ' news ', campaign: 'spring sale', medium: '', referral: 'ali' })).toBe(
      'https://shop.example/a?utm_source=news&x=1&utm_campaign=spring+sale&ref=ali',
    );
  });

  it('sets the link’s params last: they win over a UTM field of the same name', () => {
    expect(destinationWithUtm('https://shop.example/a?x=1', { source: 'news' }, { utm_source: 'override', x: '2', lang: '' })).toBe(
      'https://shop.example/a?x=2&utm_source=override&lang=',
    );
  });

  it('shows nothing until the destination is an http(s) URL', () => {
    expect(destinationWithUtm('shop.example', { source: 'news' })).toBeNull();
    expect(destinationWithUtm('ftp://shop.example/a', { source: 'news' })).toBeNull();
  });

  it('splits a pasted URL’s UTM parameters into fields', () => {
    expect(splitUtm('https://shop.example/a?utm_source=news&id=7&utm_medium=&ref=ali')).toEqual({
      url: 'https://shop.example/a?id=7',
      utm: { source: 'news', referral: 'ali' },
    });
    expect(splitUtm('https://shop.example/a?id=7')).toBeNull();
    expect(splitUtm('not a url')).toBeNull();
  });
});
