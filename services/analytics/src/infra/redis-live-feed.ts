import type { Redis } from 'ioredis';
import { DomainError } from '@hop/errors';
import type { Logger } from '@hop/telemetry';
import type { LiveClickFeed } from '../app/live-clicks';
import type { Click } from '../domain/click';
import { byWorkspace, decodeLiveClicks, encodeLiveClicks } from '../domain/live';

type Listener = (clicks: Click[]) => void;

/**
 * Live clicks over Redis pub/sub, one channel per workspace. One subscriber connection per
 * process, subscribed to a workspace's channel while at least one of its streams is open.
 * ioredis leaves channel names unprefixed, so the key prefix is added here (deployments sharing a
 * Redis never see each other's clicks).
 */
export class RedisLiveFeed implements LiveClickFeed {
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, { listeners: Set<Listener>; ready: Promise<void> }>();

  constructor(
    private readonly publisher: Redis,
    private readonly channelPrefix: string,
    private readonly logger: Logger,
  ) {
    this.subscriber = publisher.duplicate();
    this.subscriber.on('error', (err: Error) => logger.warn({ err }, 'live clicks subscriber'));
    this.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  private channel(workspaceId: string): string {
    return `${this.channelPrefix}live-clicks:${workspaceId}`;
  }

  async publish(clicks: Click[]): Promise<void> {
    const groups = byWorkspace(clicks);
    if (groups.size === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const [workspaceId, group] of groups) pipeline.publish(this.channel(workspaceId), encodeLiveClicks(group));
    await pipeline.exec();
  }

  async subscribe(workspaceId: string, listener: Listener): Promise<() => void> {
    const name = this.channel(workspaceId);
    let channel = this.channels.get(name);
    if (!channel) {
      const ready = this.subscriber.subscribe(name).then(() => undefined);
      channel = { listeners: new Set(), ready };
      this.channels.set(name, channel);
      const created = channel;
      ready.catch(() => {
        if (this.channels.get(name) === created) this.channels.delete(name);
      });
    }
    channel.listeners.add(listener);
    const subscribed = channel;
    const unsubscribe = () => {
      subscribed.listeners.delete(listener);
      if (subscribed.listeners.size > 0 || this.channels.get(name) !== subscribed) return;
      this.channels.delete(name);
      this.subscriber.unsubscribe(name).catch((err: unknown) => this.logger.warn({ err }, 'live clicks: unsubscribe failed'));
    };
    try {
      await subscribed.ready;
    } catch (err) {
      subscribed.listeners.delete(listener);
      this.logger.warn({ err }, 'live clicks: subscribe failed');
      throw new DomainError('UPSTREAM_UNAVAILABLE');
    }
    return unsubscribe;
  }

  private deliver(channel: string, message: string): void {
    const listeners = this.channels.get(channel)?.listeners;
    if (!listeners?.size) return;
    let clicks: Click[];
    try {
      clicks = decodeLiveClicks(message);
    } catch (err) {
      this.logger.warn({ err, channel }, 'live clicks: unreadable message');
      return;
    }
    for (const listener of listeners) listener(clicks);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}
