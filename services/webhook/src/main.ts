import { randomBytes } from 'node:crypto';
import { InternalClient } from '@hop/http';
import { bootService, runMain, type Resources } from '@hop/runtime';
import { recordEvents } from './app/record-events';
import { loadWebhookConfig, type WebhookConfig } from './config';
import { webhookRoutes } from './http/routes';
import { EventConsumers } from './infra/consumers';
import { ClickDescriptions } from './infra/describer';
import { DestinationGuard } from './infra/destination-guard';
import { DestinationPolicy } from './infra/destination-policy';
import { Dispatcher } from './infra/dispatcher';
import { LinkProjection } from './infra/link-projection';
import { MIGRATIONS } from './infra/migrations';
import { ReceiverClient } from './infra/receiver-client';
import { SecretBox, decodeSecretKey } from './infra/secret-box';
import { WebhookTableAccess } from './infra/webhook-table';

/** Standard Webhooks' secret format: whsec_ + base64 of 24 random bytes. */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function start(config: WebhookConfig) {
  const settings = config.webhooks;
  return bootService<Pick<Resources, 'logger' | 'db' | 'kafka'>>({
    name: config.service,
    server: config.server,
    postgres: { ...config.postgres, entities: [], migrations: MIGRATIONS },
    kafka: { ...config.kafka, topics: [{ topic: 'links' }, { topic: 'clicks' }, { topic: 'conversions' }], outbox: false },
    build: ({ db, kafka, logger }) => {
      const guard = new DestinationGuard(new DestinationPolicy(settings.allowedCidrs), settings.allowHttp, settings.dnsServers);
      const client = new ReceiverClient({
        guard,
        timeoutMs: settings.timeoutMs,
        maxResponseBytes: settings.maxResponseBytes,
        connectionsPerOrigin: settings.subscriptionConcurrency,
      });
      const secrets = new SecretBox(decodeSecretKey(settings.secretKey)!, settings.previousSecretKeys.map((k) => decodeSecretKey(k)!));
      const dispatcher = new Dispatcher({
        db,
        client,
        secrets,
        logger,
        retry: settings.retry,
        maxInFlight: settings.concurrency,
        perSubscription: settings.subscriptionConcurrency,
        attemptTimeoutMs: settings.timeoutMs,
        pollMs: settings.pollMs,
        disableAfterFailures: settings.disableAfterFailures,
        retentionDays: settings.retentionDays,
      });
      const access = new WebhookTableAccess(db, secrets, { to: dispatcher, leaseMs: dispatcher.leaseMs });
      const describe = new ClickDescriptions();
      const links = new LinkProjection(db, new InternalClient({ baseUrl: config.linkUrl, secret: config.server.internalSecret }));
      const consumers = new EventConsumers({
        kafka,
        topicPrefix: config.kafka.topicPrefix,
        logger,
        groupPrefix: settings.consumerGroup,
        record: (events) => recordEvents({ queue: access, links, describe, wake: dispatcher.wake }, events),
      });
      return {
        routes: webhookRoutes({ access, checkDestination: (url) => guard.refusalOf(url), newSecret, describe, wake: dispatcher.wake }),
        readiness: { consumers: () => consumers.check() },
        start: async () => {
          const resealed = await access.resealSecrets();
          if (resealed) logger.info({ resealed }, 'webhook signing secrets sealed with the current key');
          await consumers.start();
          dispatcher.start();
        },
        stop: async () => {
          await consumers.stop();
          await dispatcher.stop();
          await client.close();
        },
      };
    },
  });
}

if (require.main === module) runMain(() => loadWebhookConfig(), start);
