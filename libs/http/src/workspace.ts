import type { Request } from 'express';
import { invalid } from '@hop/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The request's workspace, for routes that only make sense inside one. The gateway always sends
 * one (a UUID) on /api; an internal caller that leaves it off gets a 400 naming the header.
 */
export function workspaceOf(req: Request): string {
  const { workspaceId } = req.context;
  if (!UUID.test(workspaceId ?? '')) throw invalid([{ path: 'x-hop-workspace-id', message: 'must be a workspace UUID' }]);
  return workspaceId;
}
