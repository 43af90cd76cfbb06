import type { Route } from './route';
import { cloakPage, escapeHtml, hideReferrerPage, passwordPage, previewOf, previewPage } from './pages';

const route = (over: Partial<Route>): Route =>
  ({ linkId: 'l', shortId: 's', workspaceId: 'w', url: 'https://x.example', redirectType: 302, active: true, cloaked: false, hideReferrer: false, version: 1, ...over }) as Route;

describe('pages', () => {
  it('escapes HTML in every interpolated value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = cloakPage('https://x.example/?a=1&b="2"', '<script>alert(1)</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('src="https://x.example/?a=1&amp;b=&quot;2&quot;"');
  });

  it('prefers social fields, falls back to title/description/image, and has no preview without any', () => {
    expect(previewOf(route({ title: 'T', socialTitle: 'ST', description: 'D', image: 'https://i.example/a.png' }))).toEqual({
      title: 'ST',
      description: 'D',
      image: 'https://i.example/a.png',
    });
    expect(previewOf(route({}))).toBeNull();
  });

  it('renders OpenGraph and Twitter tags with og:url on the short link', () => {
    const html = previewPage({ title: 'Sale & more', description: null, image: 'https://i.example/a.png' }, 'https://hop.to/abc');
    expect(html).toContain('<meta property="og:url" content="https://hop.to/abc">');
    expect(html).toContain('<meta property="og:title" content="Sale &amp; more">');
    expect(html).toContain('<meta property="og:image" content="https://i.example/a.png">');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(html).not.toContain('og:description');
  });

  it('hides the referrer on the intermediate page', () => {
    const html = hideReferrerPage('https://x.example/?a=1&b=2');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    expect(html).toContain('content="0;url=https://x.example/?a=1&amp;b=2"');
  });

  it('shows the password form with the problem when there is one', () => {
    expect(passwordPage('/abc', null)).toContain('<form method="post" action="/abc">');
    expect(passwordPage('/abc', null)).not.toContain('role="alert"');
    expect(passwordPage('/abc', 'wrong')).toContain('Wrong password');
    expect(passwordPage('/abc', 'locked')).toContain('Too many attempts');
  });
});
