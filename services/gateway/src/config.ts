import { loadServiceConfig } from '@hop/config';

export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'gateway', port: 8080, database: 'hop_gateway' }, {}, () => ({}), env);

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
