import type { AdminDeps, Workspace } from './ports';

export const listWorkspaces = (deps: Pick<AdminDeps, 'workspaces'>): Promise<Workspace[]> => deps.workspaces.list();
