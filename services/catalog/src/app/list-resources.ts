import type { ListOptions } from './ports';
import type { ResourceDefinition } from './resource';

export function listResources<R extends W, W extends { id: string }>(
  resource: ResourceDefinition<R, W>,
  workspaceId: string,
  options: ListOptions,
): Promise<{ items: R[]; total: number }> {
  return resource.access.read(workspaceId).list(options);
}
