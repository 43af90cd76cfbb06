import { DomainError } from '@hop/errors';
import { isUuid } from '../domain/uuid';
import type { AnalyticsPorts, ClickRef } from './ports';

/** GET /internal/clicks/:clickId: a click of the calling workspace, for conversion attribution. */
export async function findClick(deps: Pick<AnalyticsPorts, 'clicks'>, workspaceId: string, clickId: string): Promise<ClickRef> {
  const click = isUuid(workspaceId) ? await deps.clicks.find(workspaceId, clickId) : null;
  if (!click) throw new DomainError('NOT_FOUND');
  return click;
}
