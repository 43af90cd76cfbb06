import Joi from 'joi';
import type Redis from 'ioredis';
import type { InternalClient } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import type { Caller, ClickRef } from '../domain/model';

/** A click as the redirector's `click:<clickId>` record and analytics' /internal/clicks both describe it. */
interface KnownClick {
  clickId: string;
  linkId: string;
  workspaceId: string;
  partnerId?: string | null;
}

const knownClickSchema = Joi.object({
  clickId: Joi.string().required(),
  linkId: Joi.string().guid().required(),
  workspaceId: Joi.string().required(),
  partnerId: Joi.string().guid().allow(null),
}).unknown(true);

const lookups = metrics.counter('hop_conversion_click_lookups_total', 'Click lookups by where the click was found', ['source']);

/**
 * Finds a workspace's click: first the redirector's recent-click record in Redis (a lead often
 * follows its click by seconds, before analytics ingested it), then the analytics service.
 */
export class ClickDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly analytics: InternalClient,
    private readonly logger: Logger,
  ) {}

  async find(caller: Caller, clickId: string): Promise<ClickRef | null> {
    // "." and ".." would be resolved away as path segments of the lookup URL: no click has such an id.
    if (clickId === '.' || clickId === '..') return null;
    const click = (await this.recent(clickId)) ?? (await this.stored(caller, clickId));
    if (!click || click.workspaceId !== caller.workspaceId) {
      lookups.inc({ source: 'none' });
      return null;
    }
    return { clickId: click.clickId, linkId: click.linkId, partnerId: click.partnerId ?? null };
  }

  private async recent(clickId: string): Promise<KnownClick | null> {
    let raw: string | null;
    try {
      raw = await this.redis.get(`click:${clickId}`);
    } catch (err) {
      // Redis is a cache: without it the analytics service still knows the click.
      this.logger.warn({ err: (err as Error).message }, 'recent-click lookup failed; asking analytics');
      return null;
    }
    if (!raw) return null;
    const click = this.parse(raw);
    if (click) lookups.inc({ source: 'redis' });
    return click;
  }

  private parse(raw: string): KnownClick | null {
    try {
      const { error, value } = knownClickSchema.validate(JSON.parse(raw));
      if (!error) return value as KnownClick;
      this.logger.warn({ err: error.message }, 'ignoring malformed recent-click record');
    } catch {
      this.logger.warn('ignoring unparsable recent-click record');
    }
    return null;
  }

  private async stored(caller: Caller, clickId: string): Promise<KnownClick | null> {
    const click = await this.analytics.get<KnownClick>(`/internal/clicks/${encodeURIComponent(clickId)}`, caller);
    if (!click) return null;
    const { error, value } = knownClickSchema.validate(click);
    if (error) {
      this.logger.error({ err: error.message }, 'analytics answered a malformed click');
      return null;
    }
    lookups.inc({ source: 'analytics' });
    return value as KnownClick;
  }
}
