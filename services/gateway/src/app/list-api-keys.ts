import type { AdminDeps, ApiKey } from './ports';
import { requireUuid } from './schemas';
import { workspaceNotFound } from './update-workspace';

export async function listApiKeys(deps: Pick<AdminDeps, 'workspaces' | 'keys'>, workspaceId: string): Promise<ApiKey[]> {
  requireUuid('workspaceId', workspaceId);
  if (!(await deps.workspaces.get(workspaceId))) throw workspaceNotFound(workspaceId);
  return deps.keys.listByWorkspace(workspaceId);
}
