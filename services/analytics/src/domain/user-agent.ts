import { LRUCache } from 'lru-cache';
import UAParser from 'ua-parser-js';
import type { UserAgentInfo } from '@hop/events';

// Traffic repeats a small set of user agents; parsing is the costliest step of enrichment.
const cache = new LRUCache<string, UserAgentInfo>({ max: 10_000 });

/** Browser, OS and device type of a user agent; ua-parser-js reports no device type for desktops. */
export function describeUserAgent(userAgent: string | null | undefined): UserAgentInfo {
  const ua = userAgent ?? '';
  const cached = cache.get(ua);
  if (cached) return cached;
  const parsed = new UAParser(ua).getResult();
  const info: UserAgentInfo = {
    browserName: parsed.browser.name ?? null,
    browserVersion: parsed.browser.version ?? null,
    osName: parsed.os.name ?? null,
    osVersion: parsed.os.version ?? null,
    deviceType: parsed.device.type ?? 'desktop',
  };
  cache.set(ua, info);
  return info;
}
