import type http from 'node:http';
import type Redis from 'ioredis';
import type { Logger } from '@hop/telemetry';
import type { RedirectorConfig } from '../config';
import type { DomainRecord, Route } from '../domain/route';
import type { ClickInput, RecordedClick } from '../domain/click';

/**
 * A bare node:http handler; `shortId` is set for routes under /:shortId/… (the key), `site` when
 * the request came to a branded domain.
 */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, shortId?: string, site?: DomainRecord) => Promise<void>;

/** Looks routes up: in-process LRU → Redis → the link service. */
export interface RouteLookup {
  /**
   * The route of a live (not deleted) link, or null when unknown. Paused/expired routes are returned
   * as they are. Rejects with DomainError('UPSTREAM_UNAVAILABLE') when neither Redis nor the link
   * service can answer and no earlier copy is cached (the link may exist: not the same as unknown).
   */
  get(routeId: string): Promise<Route | null>;
}

/** Looks branded domains up (same layers and failure rule as RouteLookup). */
export interface DomainLookup {
  /** The domain when it is verified (served), else null. */
  get(name: string): Promise<DomainRecord | null>;
}

/** The click pipeline: one clicks.v1 event + the Redis recent-click record, off the response's critical path. */
export interface ClickRecorder {
  /** A fresh click id for a click on `route` (signed: see `@hop/events` click-id.ts), before the click is recorded. */
  issueId(route: Route): string;
  /** Records a counted click; returns at once with the click as it will be published. */
  record(click: ClickInput): RecordedClick;
}

/** What the attribution handlers (QR codes, /analytics.js, /:shortId/analytics.js) get from the redirector. */
export interface AttributionDeps {
  config: RedirectorConfig;
  routes: RouteLookup;
  domains: DomainLookup;
  clicks: ClickRecorder;
  redis: Redis;
  logger: Logger;
}
