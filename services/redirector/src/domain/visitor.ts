import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import { memoise } from './memo';

/**
 * Link unfurlers of social networks and messengers: they get the OpenGraph preview and never
 * count as clicks. Preview fetchers only: the same apps' in-app browsers (FBAN, Instagram,
 * [Pinterest/iOS] …) are people.
 */
const SOCIAL_CRAWLER =
  /facebookexternalhit|facebookcatalog|facebot|meta-externalagent|twitterbot|linkedinbot|slackbot|slack-imgproxy|whatsapp\/|discordbot|telegrambot|pinterestbot|pinterest\/0\.|redditbot|skypeuripreview|vkshare|snap url preview|mastodon\/|bluesky cardyb|embedly|iframely|bitlybot|quora link preview|outbrain|flipboardproxy|xing-contenttabreceiver|google-pagerenderer/i;

export const isSocialCrawler = (userAgent: string) => SOCIAL_CRAWLER.test(userAgent);

/** Automated clients (isbot); an empty user agent counts as one. */
export const isBot = (userAgent: string) => !userAgent || isbot(userAgent);

/** The OS name as ua-parser-js 1.x reports it ('iOS', 'Android', …), or null. */
export const osOf = (userAgent: string): string | null => (userAgent ? (new UAParser(userAgent).getOS().name ?? null) : null);

export interface Agent {
  socialCrawler: boolean;
  bot: boolean;
  os: string | null;
}

/** Everything the redirector asks about a user agent, once per distinct user agent. */
export const agentOf: (userAgent: string) => Agent = memoise((ua) => ({ socialCrawler: isSocialCrawler(ua), bot: isBot(ua), os: osOf(ua) }));
