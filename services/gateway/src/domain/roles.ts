import { SCOPES, type Scope } from './scopes';

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The workspace's settings: its keys, members, audit log, branded domains and webhook receivers (owners and admins only). */
const SETTINGS_SCOPES: readonly Scope[] = ['keysRead', 'keysWrite', 'membersWrite', 'auditLogRead', 'domainsWrite', 'webhooksRead', 'webhooksWrite'];
const CONTENT_SCOPES = SCOPES.filter((s) => !SETTINGS_SCOPES.includes(s));
const READ_SCOPES = CONTENT_SCOPES.filter((s) => s.endsWith('Read'));

/**
 * The one table of what a role may do in its workspace (README "Roles"). Owners and admins hold
 * every scope; they differ in who may touch owners (only an owner grants, demotes or removes one).
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  owner: SCOPES,
  admin: SCOPES,
  member: CONTENT_SCOPES,
  viewer: READ_SCOPES,
};

/** Whether `actor` may give someone `role` or change/remove someone who has it. */
export const mayManageRole = (actor: Role, role: Role): boolean =>
  actor === 'owner' || (actor === 'admin' && role !== 'owner');
