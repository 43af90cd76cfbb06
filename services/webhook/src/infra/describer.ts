import UAParser from 'ua-parser-js';
import type { ClickDescriber, UserAgentInfo } from '../domain/payloads';

/** Parsing dominates; traffic repeats a few user agents. Bounded by clearing (a cache, not a store). */
const MAX_CACHED = 10_000;

/** Browser, OS, device and country name exactly as the analytics service derives them for GET /api/analytics. */
export class ClickDescriptions implements ClickDescriber {
  private readonly agents = new Map<string, UserAgentInfo>();
  private readonly regionNames = new Intl.DisplayNames('en', { type: 'region' });
  private readonly countries = new Map<string, string | null>();

  userAgent(userAgent: string | null | undefined): UserAgentInfo {
    const ua = userAgent ?? '';
    let info = this.agents.get(ua);
    if (!info) {
      const parsed = new UAParser(ua).getResult();
      info = {
        browserName: parsed.browser.name ?? null,
        browserVersion: parsed.browser.version ?? null,
        osName: parsed.os.name ?? null,
        osVersion: parsed.os.version ?? null,
        deviceType: parsed.device.type ?? 'desktop',
      };
      if (this.agents.size >= MAX_CACHED) this.agents.clear();
      this.agents.set(ua, info);
    }
    return info;
  }

  countryName(code: string | null): string | null {
    if (!code || !/^[A-Z]{2}$/.test(code)) return null;
    let name = this.countries.get(code);
    if (name === undefined) {
      const found = this.regionNames.of(code);
      name = found && found !== code && found !== 'Unknown Region' ? found : null;
      this.countries.set(code, name);
    }
    return name;
  }
}
