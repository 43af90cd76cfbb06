import type { StartedContainers } from './containers';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__hopContainers as StartedContainers | undefined;
  await started?.stop();
}
