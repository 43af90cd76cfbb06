import { loadServiceConfig } from '@hop/config';

export const loadRedirectorConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'redirector', port: 8081 }, {}, () => ({}), env);

export type RedirectorConfig = ReturnType<typeof loadRedirectorConfig>;
