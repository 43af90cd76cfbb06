import type { AccessDeps, Invitation } from './ports';

/** GET /api/invitations: the workspace's pending invitations (not used, revoked or expired). */
export const listInvitations = (deps: Pick<AccessDeps, 'access'>, workspaceId: string): Promise<Invitation[]> => deps.access.invitations(workspaceId);
