import { createHmac } from 'node:crypto';
import { nanoid } from 'nanoid';
import { memoise } from '../domain/memo';
import type { ClickInput, RecordedClick } from '../domain/click';
import type { Route } from '../domain/route';
import type { ClickRecorder, ClickSink } from './ports';

export type { ClickSink };

export const newClickId = (): string => nanoid();

// Visitor-controlled text is bounded: the event schema caps URLs at 4096 characters, and an event
// a consumer rejects is a click lost.
const MAX_URL_LENGTH = 4096;
const MAX_HEADER_LENGTH = 1024;
const clip = (value: string | null, max: number) => (value && value.length > max ? value.slice(0, max) : value);

/** The utm_* (and ref) parameters of a visitor's request, keyed like a link's utm (source … referral). */
export function requestUtm(query: URLSearchParams | null): Record<string, string> | null {
  if (!query) return null;
  let out: Record<string, string> | null = null;
  for (const [param, key] of REQUEST_UTM) {
    const value = query.get(param);
    if (value) (out ??= {})[key] = value;
  }
  return out;
}
const REQUEST_UTM = [
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_campaign', 'campaign'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
  ['ref', 'referral'],
] as const;

/** Turns what a handler knows about a click into the clicks.v1 event data; never blocks on I/O. */
/** Keyed hash of an IP: without the secret, hashing the (small) IPv4 space does not recover it. */
export const ipHasher = (secret: string) => memoise((ip) => createHmac('sha256', secret).update(ip).digest('base64url').slice(0, 32));

export function createClickRecorder(options: {
  hashIp: (ip: string) => string;
  sink: ClickSink;
  /** Click ids for a route's clicks (signed ones in production); random unsigned ids by default. */
  clickIds?: (route: Route) => string;
  now?: () => Date;
}): ClickRecorder {
  const now = options.now ?? (() => new Date());
  const { hashIp } = options;
  const issueId = options.clickIds ?? newClickId;
  return {
    issueId,
    record(input: ClickInput): RecordedClick {
      const { route } = input;
      const click: RecordedClick = {
        clickId: input.clickId ?? issueId(route),
        linkId: route.linkId,
        workspaceId: route.workspaceId,
        shortId: route.shortId,
        partnerId: route.partnerId ?? null,
        tenantId: route.tenantId ?? null,
        externalId: route.externalId ?? null,
        destination: clip(input.destination, MAX_URL_LENGTH),
        referrer: clip(input.referrer, MAX_HEADER_LENGTH),
        userAgent: clip(input.userAgent, MAX_HEADER_LENGTH),
        ipHash: input.ip ? hashIp(input.ip) : null,
        country: input.country,
        city: input.city,
        qr: input.qr,
        bot: input.bot,
        visitorId: input.visitorId,
        visitorSessionId: input.visitorSessionId ?? null,
        utm: linkUtm(route.utm),
        requestUtm: input.requestUtm ?? null,
        trigger: input.trigger,
        timestamp: now().toISOString(),
      };
      options.sink.publish(click);
      return click;
    },
  };
}

/** The link's utm with empty keys dropped (keys source … referral). */
function linkUtm(utm: ClickInput['route']['utm']): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  for (const [key, value] of Object.entries<string | null | undefined>(utm ?? {})) if (value) (out ??= {})[key] = value;
  return out;
}
