import { loadServiceConfig } from '@hop/config';

export const loadPartnerConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'partner', port: 4003, database: 'hop_partner' }, {}, () => ({}), env);

export type PartnerConfig = ReturnType<typeof loadPartnerConfig>;
