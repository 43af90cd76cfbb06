import { Joi, env as envVar, loadServiceConfig } from '@hop/config';

export const loadAnalyticsConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'analytics', port: 4004, database: 'hop_analytics' },
    {
      /** Default: `<KAFKA_TOPIC_PREFIX>analytics-clicks`, so deployments sharing a broker never share a group. */
      CLICKS_CONSUMER_GROUP: Joi.string(),
      CONVERSIONS_CONSUMER_GROUP: Joi.string(),
      /** Consumers of clicks.v1 in this process, each with its own partitions: batches written in parallel (clicks.v1 has 3 partitions). */
      CLICK_CONSUMERS: Joi.number().integer().min(1).max(32).default(3),
      /** Monthly click partitions kept; older ones are dropped (rollups stay). 0 keeps everything. */
      CLICK_RETENTION_MONTHS: Joi.number().integer().min(0).default(0),
      /** How often conversions that arrived before their click are retried. */
      PENDING_CONVERSIONS_INTERVAL_MS: Joi.number().integer().min(100).default(5_000),
      /** The link service, read once per database to backfill links' collections (GET /internal/link-collections). */
      LINK_URL: envVar.url('http://127.0.0.1:4001'),
    },
    (v) => ({
      analytics: {
        clicksGroup: (v.CLICKS_CONSUMER_GROUP as string | undefined) ?? `${v.KAFKA_TOPIC_PREFIX}analytics-clicks`,
        conversionsGroup: (v.CONVERSIONS_CONSUMER_GROUP as string | undefined) ?? `${v.KAFKA_TOPIC_PREFIX}analytics-conversions`,
        // the link → collection projection reads the whole compacted topic once per deployment
        linksGroup: `${v.KAFKA_TOPIC_PREFIX}analytics-links`,
        clickConsumers: v.CLICK_CONSUMERS as number,
        retentionMonths: v.CLICK_RETENTION_MONTHS as number,
        pendingConversionsIntervalMs: v.PENDING_CONVERSIONS_INTERVAL_MS as number,
        linkUrl: v.LINK_URL as string,
      },
    }),
    env,
  );

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
