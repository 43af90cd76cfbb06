import { TestInfra } from '@hop/testing';
import { start as startGateway } from '../../services/gateway/src/main';
import { loadGatewayConfig } from '../../services/gateway/src/config';
import { start as startLink } from '../../services/link/src/main';
import { loadLinkConfig } from '../../services/link/src/config';
import { start as startCatalog } from '../../services/catalog/src/main';
import { loadCatalogConfig } from '../../services/catalog/src/config';
import { start as startPartner } from '../../services/partner/src/main';
import { loadPartnerConfig } from '../../services/partner/src/config';
import { start as startAnalytics } from '../../services/analytics/src/main';
import { loadAnalyticsConfig } from '../../services/analytics/src/config';
import { start as startConversion } from '../../services/conversion/src/main';
import { loadConversionConfig } from '../../services/conversion/src/config';
import { start as startRedirector } from '../../services/redirector/src/main';
import { loadRedirectorConfig } from '../../services/redirector/src/config';
import { start as startWebhook } from '../../services/webhook/src/main';
import { loadWebhookConfig } from '../../services/webhook/src/config';

type Running = { url: string; close(): Promise<void> };

describe('every service', () => {
  const infra = new TestInfra();
  const running: Record<string, Running> = {};

  beforeAll(async () => {
    const env = (db: string) => infra.serviceEnv(db);
    const started = await Promise.all([
      startGateway(loadGatewayConfig(env('gateway'))),
      startLink(loadLinkConfig(env('link'))),
      startCatalog(loadCatalogConfig(env('catalog'))),
      startPartner(loadPartnerConfig(env('partner'))),
      startAnalytics(loadAnalyticsConfig(env('analytics'))),
      startConversion(loadConversionConfig(env('conversion'))),
      startRedirector(loadRedirectorConfig(env('redirector'))),
      startWebhook(loadWebhookConfig(env('webhook'))),
    ]);
    ['gateway', 'link', 'catalog', 'partner', 'analytics', 'conversion', 'redirector', 'webhook'].forEach((name, i) => {
      running[name] = started[i];
    });
  });

  afterAll(async () => {
    await Promise.all(Object.values(running).map((s) => s.close()));
    await infra.cleanup();
  });

  it.each(['gateway', 'link', 'catalog', 'partner', 'analytics', 'conversion', 'redirector', 'webhook'])(
    '%s answers /healthz, /readyz and /metrics',
    async (name) => {
      const base = running[name].url;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/process_cpu_user_seconds_total/);
    },
  );
});
