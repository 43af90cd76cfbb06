import type Redis from 'ioredis';
import { DomainError } from '@hop/errors';
import { recentClickKey, recentClickSchema, verifyClickId, type RecentClick } from '@hop/events';
import type { InternalClient } from '@hop/http';
import { metrics, type Logger } from '@hop/telemetry';
import type { Caller, ClickRef, LinkObject } from '../domain/model';


const lookups = metrics.counter('hop_conversion_click_lookups_total', 'Click lookups by where the click was found', ['source']);

export interface ClickDirectoryOptions {
  redis: Redis;
  analytics: InternalClient;
  /** The link object of a workspace's link (the partner of a click known only by its signed id). */
  linkOf: (caller: Caller, linkId: string) => Promise<LinkObject | null>;
  /** Key of the redirector's signed click ids (`clickIdKey(INTERNAL_SECRET)`). */
  clickIdKey: Buffer;
  logger: Logger;
}

/**
 * Finds a workspace's click: first the redirector's recent-click record in Redis (a lead often
 * follows its click by seconds, before analytics ingested it), then the analytics service, and
 * last the click id itself: a signed id proves the redirector answered that click on that link of
 * this workspace, so a lead sent the moment its redirect arrived is attributed although neither
 * store has the click yet (the record is written in batches just after the redirect), and also
 * while Redis and analytics are both unreachable. Such a click's partner is its link's.
 */
export class ClickDirectory {
  constructor(private readonly options: ClickDirectoryOptions) {}

  async find(caller: Caller, clickId: string): Promise<ClickRef | null> {
    // "." and ".." would be resolved away as path segments of the lookup URL: no click has such an id.
    if (clickId === '.' || clickId === '..') return null;
    let click = await this.recent(clickId);
    if (!click) {
      try {
        click = await this.stored(caller, clickId);
      } catch (err) {
        // Analytics down: a signed id still answers; any other id cannot be checked.
        if (!(err instanceof DomainError && err.code === 'UPSTREAM_UNAVAILABLE')) throw err;
        const signed = await this.signed(caller, clickId);
        if (!signed) throw err;
        return signed;
      }
    }
    if (click && click.workspaceId === caller.workspaceId) {
      return { clickId: click.clickId, linkId: click.linkId, partnerId: click.partnerId ?? null };
    }
    const signed = click ? null : await this.signed(caller, clickId);
    if (!signed) lookups.inc({ source: 'none' });
    return signed;
  }

  private async signed(caller: Caller, clickId: string): Promise<ClickRef | null> {
    const verified = verifyClickId(this.options.clickIdKey, clickId, caller.workspaceId);
    if (!verified) return null;
    const link = await this.options.linkOf(caller, verified.linkId);
    if (!link) return null;
    lookups.inc({ source: 'signed-id' });
    return { clickId, linkId: verified.linkId, partnerId: typeof link.partnerId === 'string' ? link.partnerId : null };
  }

  private async recent(clickId: string): Promise<RecentClick | null> {
    let raw: string | null;
    try {
      raw = await this.options.redis.get(recentClickKey(clickId));
    } catch (err) {
      // Redis is a cache: without it the analytics service still knows the click.
      this.options.logger.warn({ err: (err as Error).message }, 'recent-click lookup failed; asking analytics');
      return null;
    }
    if (!raw) return null;
    const click = this.parse(raw);
    if (click) lookups.inc({ source: 'redis' });
    return click;
  }

  private parse(raw: string): RecentClick | null {
    try {
      const result = recentClickSchema.validate(JSON.parse(raw));
      if (!result.error) return result.value;
      this.options.logger.warn({ err: result.error.message }, 'ignoring malformed recent-click record');
    } catch {
      this.options.logger.warn('ignoring unparsable recent-click record');
    }
    return null;
  }

  /** Analytics' /internal/clicks answers with the fields of the redirector's recent-click record (and more). */
  private async stored(caller: Caller, clickId: string): Promise<RecentClick | null> {
    const click = await this.options.analytics.get<RecentClick>(`/internal/clicks/${encodeURIComponent(clickId)}`, caller);
    if (!click) return null;
    const result = recentClickSchema.validate(click);
    if (result.error) {
      this.options.logger.error({ err: result.error.message }, 'analytics answered a malformed click');
      return null;
    }
    lookups.inc({ source: 'analytics' });
    return result.value;
  }
}
