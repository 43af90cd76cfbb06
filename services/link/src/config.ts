import { loadServiceConfig } from '@hop/config';

export const loadLinkConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'link', port: 4001, database: 'hop_link' }, {}, () => ({}), env);

export type LinkConfig = ReturnType<typeof loadLinkConfig>;
