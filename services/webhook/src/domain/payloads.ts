import { clickView, type ClickDescriber, type UserAgentInfo, type ViewedClick as ClickRecorded } from '@hop/events';
import type { WebhookEvent, WebhookEventType } from './events';

/** The click view (GET /api/analytics' shape) and the click.recorded fields it shows are libs/events' contracts. */
export { clickView, type ClickDescriber, type ClickRecorded, type UserAgentInfo };

/** The link object as the Links API shows it (the link service's GET /internal/links/:id). */
export type LinkObject = Record<string, unknown> & { id: string; collectionId?: string | null };

/**
 * The link as a receiver sees it: the Links API's object without its `password`, which a
 * webhook (logged by receivers, proxies) must not carry in clear.
 */
export function linkView(link: LinkObject): Record<string, unknown> {
  const { password: _password, ...rest } = link;
  return { ...rest, passwordProtected: _password !== null && _password !== undefined };
}

/** A lead.created / sale.created event's data (libs/events conversions schemas). */
export interface ConversionRecorded {
  customerId: string;
  customerExternalId: string;
  clickId: string;
  linkId: string;
  eventName: string;
  metadata?: Record<string, unknown> | null;
  timestamp: string;
  customer?: Record<string, unknown>;
  amount?: number;
  currency?: string;
}

/**
 * A lead or sale as the Hoko track response shows it: click, link, customer and lead/sale
 * (sales add amount and currency). Events from before conversions carried the customer give
 * what they have of it.
 */
export function conversionView(type: 'lead.created' | 'sale.created', conversion: ConversionRecorded, link: LinkObject | null) {
  const customer = conversion.customer ?? { id: conversion.customerId, externalId: conversion.customerExternalId };
  const base = { eventName: conversion.eventName, metadata: conversion.metadata ?? null };
  return {
    click: { id: conversion.clickId },
    link: link ? linkView(link) : null,
    customer,
    ...(type === 'lead.created' ? { lead: base } : { sale: { ...base, amount: conversion.amount, currency: conversion.currency } }),
  };
}

/** A sample of each event type for POST /api/webhooks/{id}/test, shaped like the real thing. */
export function sampleEvent(type: WebhookEventType, id: string, workspaceId: string, now: Date, describe: ClickDescriber): WebhookEvent {
  const linkId = '3f6c1b8e-2a4d-4e5f-9a7b-1c2d3e4f5a6b';
  const link: LinkObject = {
    id: linkId,
    url: 'https://example.com/pricing',
    shortUrl: 'https://hop.example/abc1234',
    title: 'Pricing',
    collectionId: '8d7e6f5a-4b3c-4d2e-8f1a-0b9c8d7e6f5a',
    password: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const click: ClickRecorded = {
    clickId: 'sample_click_0001',
    linkId,
    shortId: 'abc1234',
    destination: 'https://example.com/pricing?hoko_id=sample_click_0001',
    referrer: 'https://news.example/',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
    country: 'US',
    city: 'San Francisco',
    qr: false,
    bot: false,
    timestamp: now.toISOString(),
  };
  const conversion: ConversionRecorded = {
    customerId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    customerExternalId: 'customer_123',
    customer: { id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d', name: 'John Doe', email: 'john@example.com', phone: null, avatar: null, externalId: 'customer_123' },
    clickId: click.clickId,
    linkId,
    eventName: type === 'sale.created' ? 'Purchase' : 'Sign up',
    metadata: null,
    timestamp: now.toISOString(),
    amount: 12900,
    currency: 'usd',
  };
  const data =
    type === 'link.clicked'
      ? { click: clickView(click, describe), link: linkView(link) }
      : type === 'lead.created' || type === 'sale.created'
        ? conversionView(type, conversion, link)
        : { link: linkView(link) };
  return { id, type, workspaceId, occurredAt: now, linkId, collectionId: String(link.collectionId), data };
}
