import { loadServiceConfig } from '@hop/config';

export const loadCatalogConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'catalog', port: 4002, database: 'hop_catalog' }, {}, () => ({}), env);

export type CatalogConfig = ReturnType<typeof loadCatalogConfig>;
