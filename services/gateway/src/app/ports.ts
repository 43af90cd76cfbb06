import type { PlanName } from '../domain/plans';
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
  /** Marks the key revoked (keeps the first revocation time); null when no such key. */
  revoke(id: string, at: Date): Promise<StoredApiKey | null>;
  hashesOfWorkspace(workspaceId: string): Promise<string[]>;
  /** The key and its workspace's plan, by the hash of the secret. */
  findRecordByHash(hash: string): Promise<KeyRecord | null>;
  /** Records last-use times in one statement (never moves a time backwards). */
  touch(lastUsed: ReadonlyMap<string, Date>): Promise<void>;
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
