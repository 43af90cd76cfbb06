import type { AuditEntry } from '../domain/audit';
import type { PlanName } from '../domain/plans';
import type { Role } from '../domain/roles';
import type { KeyRecord } from '../domain/principal';
import type { RateLimitDecision } from '../domain/rate-limit';

export interface Workspace {
  id: string;
  name: string;
  plan: PlanName;
  rateLimitOverride: number | null;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Who created it over the API (null: the operator's CLI or admin API). */
  createdBy?: { type: 'user' | 'key'; id: string } | null;
}

export interface StoredApiKey extends ApiKey {
  hash: string;
}

export interface WorkspaceStore {
  /** With `ifAbsent`, an existing workspace of that id is left as is. */
  insert(workspace: Workspace, options?: { ifAbsent?: boolean }): Promise<void>;
  list(): Promise<Workspace[]>;
  get(id: string): Promise<Workspace | null>;
  update(id: string, changes: Partial<Pick<Workspace, 'plan' | 'rateLimitOverride'>>): Promise<Workspace | null>;
}

export interface ApiKeyStore {
  insert(key: StoredApiKey): Promise<void>;
  listByWorkspace(workspaceId: string): Promise<ApiKey[]>;
  get(id: string): Promise<StoredApiKey | null>;
  /** Marks the key revoked (keeps the first revocation time); null when no such key (in that workspace, when given). */
  revoke(id: string, at: Date, workspaceId?: string): Promise<StoredApiKey | null>;
  hashesOfWorkspace(workspaceId: string): Promise<string[]>;
  /** The key and its workspace's plan, by the hash of the secret. */
  findRecordByHash(hash: string): Promise<KeyRecord | null>;
  /** Records last-use times in one statement (never moves a time backwards). */
  touch(lastUsed: ReadonlyMap<string, Date>): Promise<void>;
}

/** Notes that an API key was used; the notes are written in batches, off the request path. */
export interface KeyUseRecorder {
  record(keyId: string): void;
}

/** Key lookups cached by hash (read through the RequestGate); revocation overwrites the entry so it takes effect at once. */
export interface KeyCache {
  /** Caches a lookup unless an entry exists (a concurrent revocation must not be overwritten by a stale read). */
  fill(hash: string, record: KeyRecord): Promise<void>;
  /** Overwrites the entry (revocation). */
  put(hash: string, record: KeyRecord): Promise<void>;
  drop(hashes: string[]): Promise<void>;
}

export interface GatePass {
  /**
   * Seconds until the address may fail again (too many failed attempts), 0 when it is not
   * blocked. The block refuses only failing attempts: a valid key is admitted all the same.
   */
  blockedFor: number;
  /** The key's cached record; undefined on a miss. */
  cached: KeyRecord | undefined;
  /** Set when the request was counted against the expected workspace. */
  counted?: { decision: RateLimitDecision; ticket: string };
}

/**
 * The Redis side of admitting a request: failed attempts per client address (brute-force
 * protection), the key cache and the per-workspace sliding windows.
 */
export interface RequestGate {
  /**
   * In one round trip: the address's block, the key's cached record (hash null: a malformed
   * key, nothing to read) and, when the caller expects the key's workspace and limit, the
   * request counted against that workspace.
   */
  pass(ip: string, hash: string | null, expected?: ExpectedWorkspace): Promise<GatePass>;
  /** Counts a request against a workspace's window (atomic). */
  consume(workspaceId: string, limit: number): Promise<RateLimitDecision>;
  /** Takes back a count made under a wrong expectation. */
  refund(workspaceId: string, ticket: string): Promise<void>;
  recordFailure(ip: string): Promise<void>;
}

/** The workspace and request limit a key had when last seen. */
export interface ExpectedWorkspace {
  workspaceId: string;
  limit: number;
}

/** What this process remembers of keys it has seen (a key's workspace never changes). */
export interface KeyHints {
  get(hash: string): ExpectedWorkspace | undefined;
  set(hash: string, value: ExpectedWorkspace): unknown;
  delete(hash: string): unknown;
}

export interface AdminDeps {
  workspaces: WorkspaceStore;
  keys: ApiKeyStore;
  keyCache: KeyCache;
  linkDomains: LinkDomains;
  access: AccessStore;
}

/** A status and JSON body from another service, passed on as they are. */
export interface ServiceAnswer {
  status: number;
  body: unknown;
}

/** The link service's domain operations for operators. */
export interface LinkDomains {
  verifyWithoutDns(workspaceId: string, name: string): Promise<ServiceAnswer>;
}

// ---- the access context: users, memberships, sessions, invitations, audit log ----

export interface User {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: Date;
}

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface Member {
  userId: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface Invitation {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
}

/** A session found by its token, still valid, with the user's role in the requested workspace (null: not a member). */
export interface SessionGrant {
  sessionId: string;
  userId: string;
  email: string;
  csrfToken: string;
  membership: { role: Role; plan: PlanName; rateLimitOverride: number | null } | null;
}

/** One audit-log line as listed, with the key's name and prefix when a key acted. */
export interface AuditView extends AuditEntry {
  seq: string;
}

/**
 * The access context's tables. Every method runs on the connection it was made from: inside
 * `transaction`, a state change and its audit entry commit together.
 */
export interface AccessTx {
  keys: Pick<ApiKeyStore, 'insert' | 'revoke' | 'listByWorkspace'>;
  workspaces: Pick<WorkspaceStore, 'update'>;
  findUserByEmail(email: string): Promise<User | null>;
  getUser(id: string): Promise<User | null>;
  insertUser(user: User): Promise<void>;
  setPassword(userId: string, passwordHash: string): Promise<void>;
  membershipsOf(userId: string): Promise<Membership[]>;
  roleOf(workspaceId: string, userId: string): Promise<Role | null>;
  /** The workspace's owners, locking its memberships until the transaction ends (last-owner checks). */
  lockOwners(workspaceId: string): Promise<string[]>;
  setRole(workspaceId: string, userId: string, role: Role): Promise<void>;
  removeMember(workspaceId: string, userId: string): Promise<boolean>;
  members(workspaceId: string): Promise<Member[]>;
  insertSession(session: Session, tokenHash: string): Promise<void>;
  /** The valid session of a token (not revoked, within its absolute and idle expiry), marking it used. */
  useSession(tokenHash: string, idleSeconds: number, workspaceId: string | null): Promise<SessionGrant | null>;
  sessionsOf(userId: string, idleSeconds: number): Promise<Session[]>;
  /** Revokes one of the user's sessions (false when none such). */
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  revokeSessionsOf(userId: string): Promise<void>;
  insertInvitation(invitation: Invitation, tokenHash: string): Promise<void>;
  invitations(workspaceId: string): Promise<Invitation[]>;
  /** Marks a valid (unused, unexpired, unrevoked) invitation used, once: null when it is not valid. */
  claimInvitation(tokenHash: string, now: Date): Promise<Invitation | null>;
  revokeInvitation(workspaceId: string, id: string): Promise<Invitation | null>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Appends an entry unless one with its id exists; false when it did. */
  appendAuditOnce(entry: AuditEntry): Promise<boolean>;
  auditLog(workspaceId: string, page: { take: number; skip: number }): Promise<{ entries: AuditView[]; total: number }>;
}

export interface AccessStore extends AccessTx {
  transaction<T>(work: (tx: AccessTx) => Promise<T>): Promise<T>;
}

/** Failed sign-ins counted per (account, address) and per address, in fixed windows. */
export interface LoginThrottle {
  /** Seconds until this account may be tried again from this address (0: go on). */
  blockedFor(accountKey: string, ip: string): Promise<number>;
  recordFailure(accountKey: string, ip: string): Promise<void>;
  /** A successful sign-in clears the account's count from that address. */
  clear(accountKey: string, ip: string): Promise<void>;
}

/** Settings of the access context, from the gateway's config. */
export interface AccessSettings {
  sessionIdleSeconds: number;
  sessionMaxAgeSeconds: number;
  invitationTtlSeconds: number;
}

export interface AccessDeps {
  access: AccessStore;
  workspaces: WorkspaceStore;
  keyCache: KeyCache;
  throttle: LoginThrottle;
  settings: AccessSettings;
  /** A Redis step failed; sign-in goes on without throttling (fail open, as the API does). */
  onRedisFailure: (operation: 'login-throttle' | 'key-cache', err: unknown) => void;
}
