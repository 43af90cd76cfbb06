import { loadServiceConfig } from '@hop/config';

export const loadAnalyticsConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'analytics', port: 4004, database: 'hop_analytics' }, {}, () => ({}), env);

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
