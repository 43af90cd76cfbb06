import { countryName } from './country';
import { describeUserAgent } from './user-agent';

export type Utm = Record<string, string | null>;

/** A `click.recorded` event's data, as the redirector sends it (libs/events clickSchema). */
export interface ClickRecorded {
  clickId: string;
  linkId: string;
  shortId: string;
  partnerId?: string | null;
  tenantId?: string | null;
  externalId?: string | null;
  destination?: string | null;
  referrer?: string | null;
  userAgent?: string | null;
  country?: string | null;
  city?: string | null;
  qr: boolean;
  bot: boolean;
  visitorId?: string | null;
  visitorSessionId?: string | null;
  /** The link's utm. */
  utm?: Utm | null;
  /** The utm_* parameters of the visitor's request; they win, as they do in the destination URL. */
  requestUtm?: Utm | null;
  trigger: string;
  timestamp: string;
}

/** A stored click: the event enriched with browser, OS, device and country name. */
export interface Click {
  clickId: string;
  workspaceId: string;
  linkId: string;
  partnerId: string | null;
  shortId: string;
  tenantId: string | null;
  externalId: string | null;
  destination: string | null;
  referrer: string | null;
  visitorId: string | null;
  visitorSessionId: string | null;
  utm: Utm | null;
  browserName: string | null;
  browserVersion: string | null;
  osName: string | null;
  osVersion: string | null;
  deviceType: string;
  country: string | null;
  countryCode: string | null;
  city: string | null;
  qr: boolean;
  bot: boolean;
  trigger: string;
  createdAt: Date;
}

const orNull = (v: string | null | undefined) => (v === undefined || v === '' ? null : v);

/** UTM keys as the Analytics docs show them (`source`, `medium` …), whether sent with a `utm_` prefix or not. */
export function normalizeUtm(utm: Utm | null | undefined): Utm | null {
  if (!utm) return null;
  const entries = Object.entries(utm)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [k.replace(/^utm_/, ''), v] as const);
  return entries.length ? Object.fromEntries(entries) : null;
}

export function enrichClick(workspaceId: string, data: ClickRecorded): Click {
  const code = data.country ? data.country.toUpperCase() : null;
  return {
    clickId: data.clickId,
    workspaceId,
    linkId: data.linkId,
    partnerId: data.partnerId ?? null,
    shortId: data.shortId,
    tenantId: orNull(data.tenantId),
    externalId: orNull(data.externalId),
    destination: orNull(data.destination),
    referrer: orNull(data.referrer),
    visitorId: orNull(data.visitorId),
    visitorSessionId: orNull(data.visitorSessionId),
    utm: normalizeUtm({ ...data.utm, ...data.requestUtm }),
    ...describeUserAgent(data.userAgent),
    country: countryName(code),
    countryCode: code,
    city: orNull(data.city),
    qr: data.qr,
    bot: data.bot,
    trigger: data.trigger,
    createdAt: new Date(data.timestamp),
  };
}

/** A click id in the workspace that names it: conversion lookups never cross workspaces. */
export interface WorkspaceClick {
  workspaceId: string;
  clickId: string;
}

/** Map key of a click in its workspace. */
export const clickKey = (workspaceId: string, clickId: string) => `${workspaceId}/${clickId}`;
