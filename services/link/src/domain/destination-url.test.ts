import { isAbsoluteHttpUrl } from './destination-url';

describe('isAbsoluteHttpUrl', () => {
  it.each([['https://example.com'], ['http://example.com/a?b=c#d'], ['HTTPS://EXAMPLE.COM/x'], ['https://例え.jp/パス'], ['http://127.0.0.1:8080/']])(
    'accepts %s',
    (url) => expect(isAbsoluteHttpUrl(url)).toBe(true),
  );

  it.each([
    ['invalid-url'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['/relative/path'],
    ['//example.com/x'],
    ['ftp://example.com/file'],
    ['https://'],
    [' https://example.com'],
    ['https://exa mple.com'],
    ['https://example.com/\n'],
    ['mailto:a@example.com'],
  ])('rejects %p', (url) => expect(isAbsoluteHttpUrl(url)).toBe(false));
});
