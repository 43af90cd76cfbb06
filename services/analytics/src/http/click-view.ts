import type { ClickView } from '@hop/events';
import type { Click } from '../domain/click';

/** A click exactly as the Analytics docs show it, plus qr and bot. */
export const clickView = (c: Click): ClickView => ({
  id: c.clickId,
  linkId: c.linkId,
  partnerId: c.partnerId,
  visitorId: c.visitorId,
  visitorSessionId: c.visitorSessionId,
  referrer: c.referrer,
  destination: c.destination,
  shortId: c.shortId,
  utm: c.utm,
  externalId: c.externalId,
  tenantId: c.tenantId,
  browserName: c.browserName,
  browserVersion: c.browserVersion,
  osName: c.osName,
  osVersion: c.osVersion,
  deviceType: c.deviceType,
  country: c.country,
  countryCode: c.countryCode,
  city: c.city,
  createdAt: c.createdAt.toISOString(),
  qr: c.qr,
  bot: c.bot,
});
