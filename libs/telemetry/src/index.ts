import pino from 'pino';
import client from 'prom-client';

export type Logger = pino.Logger;

export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

/** One registry per process (services run one per process; tests share it, so metrics are get-or-create). */
export const registry = client.register;
let defaultsCollected = false;

export function collectDefaultMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  client.collectDefaultMetrics({ register: registry });
}

function getOrCreate<T>(name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as unknown as T) ?? create();
}

export const metrics = {
  counter: (name: string, help: string, labelNames: string[] = []) =>
    getOrCreate(name, () => new client.Counter({ name, help, labelNames, registers: [registry] })),
  gauge: (name: string, help: string, labelNames: string[] = []) =>
    getOrCreate(name, () => new client.Gauge({ name, help, labelNames, registers: [registry] })),
  histogram: (name: string, help: string, labelNames: string[] = [], buckets?: number[]) =>
    getOrCreate(name, () => new client.Histogram({ name, help, labelNames, buckets, registers: [registry] })),
};
