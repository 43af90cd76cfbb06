import type { AccessDeps, Member } from './ports';

/** GET /api/members: the workspace's members and their roles. */
export const listMembers = (deps: Pick<AccessDeps, 'access'>, workspaceId: string): Promise<Member[]> => deps.access.members(workspaceId);
