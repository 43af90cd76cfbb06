import type { ClickRecorded, ClickUtm } from './contracts';

/** A browser, OS and device as GET /api/analytics spells them. */
export interface UserAgentInfo {
  browserName: string | null;
  browserVersion: string | null;
  osName: string | null;
  osVersion: string | null;
  deviceType: string;
}

/** What the click view needs beyond the event: the user agent and country as GET /api/analytics spells them. */
export interface ClickDescriber {
  userAgent(userAgent: string | null | undefined): UserAgentInfo;
  countryName(code: string | null): string | null;
}

/** A click exactly as GET /api/analytics lists it (plus qr and bot); webhooks send the same. */
export interface ClickView extends UserAgentInfo {
  id: string;
  linkId: string;
  partnerId: string | null;
  visitorId: string | null;
  visitorSessionId: string | null;
  referrer: string | null;
  destination: string | null;
  shortId: string;
  utm: ClickUtm | null;
  externalId: string | null;
  tenantId: string | null;
  country: string | null;
  countryCode: string | null;
  city: string | null;
  createdAt: string;
  qr: boolean;
  bot: boolean;
}

/** The fields of a click.recorded event the view shows. */
export type ViewedClick = Omit<ClickRecorded, 'trigger' | 'workspaceId' | 'ipHash'>;

const orNull = (v: string | null | undefined) => (v === undefined || v === '' ? null : v);

/** UTM keys as the Analytics docs show them (`source`, `medium` …), whether sent with a `utm_` prefix or not. */
export function normalizeUtm(utm: ClickUtm | null | undefined): ClickUtm | null {
  if (!utm) return null;
  const entries = Object.entries(utm)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [k.replace(/^utm_/, ''), v] as const);
  return entries.length ? Object.fromEntries(entries) : null;
}

/** The view of a click.recorded event's click; the visitor's own utm_* win over the link's. */
export function clickView(click: ViewedClick, describe: ClickDescriber): ClickView {
  const countryCode = click.country ? click.country.toUpperCase() : null;
  return {
    id: click.clickId,
    linkId: click.linkId,
    partnerId: click.partnerId ?? null,
    visitorId: orNull(click.visitorId),
    visitorSessionId: orNull(click.visitorSessionId),
    referrer: orNull(click.referrer),
    destination: orNull(click.destination),
    shortId: click.shortId,
    utm: normalizeUtm({ ...click.utm, ...click.requestUtm }),
    externalId: orNull(click.externalId),
    tenantId: orNull(click.tenantId),
    ...describe.userAgent(click.userAgent),
    country: describe.countryName(countryCode),
    countryCode,
    city: orNull(click.city),
    createdAt: new Date(click.timestamp).toISOString(),
    qr: click.qr,
    bot: click.bot,
  };
}
