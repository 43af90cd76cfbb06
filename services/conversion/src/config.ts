import { loadServiceConfig } from '@hop/config';

export const loadConversionConfig = (env: Record<string, string | undefined> = process.env) =>
  loadServiceConfig({ service: 'conversion', port: 4005, database: 'hop_conversion' }, {}, () => ({}), env);

export type ConversionConfig = ReturnType<typeof loadConversionConfig>;
