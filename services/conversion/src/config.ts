import { env, loadServiceConfig } from '@hop/config';

export const loadConversionConfig = (environment: Record<string, string | undefined> = process.env) =>
  loadServiceConfig(
    { service: 'conversion', port: 4005, database: 'hop_conversion' },
    {
      ANALYTICS_URL: env.url('http://127.0.0.1:4004'),
      LINK_URL: env.url('http://127.0.0.1:4001'),
    },
    (v) => ({ analyticsUrl: v.ANALYTICS_URL as string, linkUrl: v.LINK_URL as string }),
    environment,
  );

export type ConversionConfig = ReturnType<typeof loadConversionConfig>;
