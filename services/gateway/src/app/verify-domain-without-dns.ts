import { DomainError } from '@hop/errors';
import type { LinkDomains, ServiceAnswer, WorkspaceStore } from './ports';

/**
 * An operator marks a workspace's domain verified without DNS (air-gapped installs): the link
 * service owns domains, so this asks it; its answer (the domain, or its error) is passed on.
 */
export async function verifyDomainWithoutDns(deps: { workspaces: WorkspaceStore; linkDomains: LinkDomains }, workspaceId: string, name: string): Promise<ServiceAnswer> {
  if (!(await deps.workspaces.get(workspaceId).catch(() => null))) {
    throw new DomainError('RESOURCE_NOT_FOUND', { params: { resource: 'Workspace', ids: workspaceId } });
  }
  return deps.linkDomains.verifyWithoutDns(workspaceId, name);
}
