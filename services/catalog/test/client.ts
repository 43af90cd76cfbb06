import { randomUUID } from 'node:crypto';
import { gatewayClient } from '@hop/testing';

/** A client for a fresh workspace of the service at `baseUrl`, so tests never see each other's rows. */
export function workspaceClient(baseUrl: string) {
  const workspaceId = randomUUID();
  return { workspaceId, call: gatewayClient(baseUrl, { workspaceId, plan: 'enterprise' }) };
}

export const unknownId = () => randomUUID();

/** `n` items built by `item` (for batch-size tests). */
export const many = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i));
