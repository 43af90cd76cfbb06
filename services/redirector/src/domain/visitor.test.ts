import { isBot, isSocialCrawler, osOf } from './visitor';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';

describe('visitor classification', () => {
  it.each([
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Twitterbot/1.0',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'WhatsApp/2.23.20.0 A',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'TelegramBot (like TwitterBot)',
  ])('recognises the social crawler %s', (ua) => {
    expect(isSocialCrawler(ua)).toBe(true);
  });

  it('does not mistake people (including in-app browsers) for social crawlers', () => {
    for (const ua of [CHROME, IPHONE, `${IPHONE} [FBAN/FBIOS;FBAV/450.0]`, `${IPHONE} Instagram 300.0`, `${ANDROID} [Pinterest/Android]`]) {
      expect(isSocialCrawler(ua)).toBe(false);
    }
  });

  it('flags bots (isbot) and empty user agents, not browsers', () => {
    expect(isBot('Googlebot/2.1 (+http://www.google.com/bot.html)')).toBe(true);
    expect(isBot('curl/8.5.0')).toBe(true);
    expect(isBot('')).toBe(true);
    expect(isBot(CHROME)).toBe(false);
    expect(isBot(IPHONE)).toBe(false);
  });

  it('reads the OS with ua-parser-js', () => {
    expect(osOf(IPHONE)).toBe('iOS');
    expect(osOf(ANDROID)).toBe('Android');
    expect(osOf(CHROME)).toBe('Windows');
    expect(osOf('')).toBeNull();
  });
});
