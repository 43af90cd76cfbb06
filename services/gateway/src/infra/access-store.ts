import type { DataSource, EntityManager } from 'typeorm';
import type {
  AccessStore,
  AccessTx,
  AuditView,
  Invitation,
  Member,
  Membership,
  Session,
  SessionGrant,
  User,
} from '../app/ports';
import type { AuditEntry } from '../domain/audit';
import type { PlanName } from '../domain/plans';
import type { Role } from '../domain/roles';
import { PgApiKeyStore } from './api-key-store';
import { queryRows } from '@hop/db';
import { PgWorkspaceStore } from './workspace-store';

/** The tables' rows as `SELECT *` (or the listed columns) returns them. */
interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Date;
}
interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}
interface InvitationRow {
  id: string;
  workspace_id: string;
  email: string;
  role: Role;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
}
interface AuditRow {
  seq: string | number;
  event_id: string;
  workspace_id: string;
  occurred_at: Date;
  actor_type: AuditEntry['actor']['type'];
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, passwordHash: r.password_hash, createdAt: r.created_at });
const toSession = (r: SessionRow): Session => ({
  id: r.id,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ip: r.ip,
  userAgent: r.user_agent,
});
const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id,
  workspaceId: r.workspace_id,
  email: r.email,
  role: r.role,
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
});
const toAudit = (r: AuditRow): AuditView => ({
  seq: String(r.seq),
  id: r.event_id,
  workspaceId: r.workspace_id,
  occurredAt: r.occurred_at,
  actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
  action: r.action,
  target: r.target_type ? { type: r.target_type, id: r.target_id } : null,
  details: r.details,
  ip: r.ip,
});

const INSERT_AUDIT = `INSERT INTO audit_log (event_id, workspace_id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, details, ip)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
const auditParams = (e: AuditEntry) => [
  e.id,
  e.workspaceId,
  e.occurredAt,
  e.actor.type,
  e.actor.id,
  e.actor.label,
  e.action,
  e.target?.type ?? null,
  e.target?.id ?? null,
  e.details === null ? null : JSON.stringify(e.details),
  e.ip,
];

/** The access context's tables, on the pool or on one transaction (SQL in docs: services/gateway/README.md). */
class PgAccessTx implements AccessTx {
  readonly keys: PgApiKeyStore;
  readonly workspaces: PgWorkspaceStore;

  constructor(protected readonly db: DataSource | EntityManager) {
    this.keys = new PgApiKeyStore(db);
    this.workspaces = new PgWorkspaceStore(db);
  }

  private rows<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    return queryRows<T>(this.db, sql, params);
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return row ? toUser(row) : null;
  }

  async getUser(id: string): Promise<User | null> {
    const [row] = await this.rows<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return row ? toUser(row) : null;
  }

  async insertUser(u: User): Promise<void> {
    await this.rows('INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)', [u.id, u.email, u.passwordHash, u.createdAt]);
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.rows('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.rows<{ workspace_id: string; name: string; role: Role }>(
      `SELECT m.workspace_id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = $1 ORDER BY w.name, m.workspace_id`,
      [userId],
    );
    return rows.map((r) => ({ workspaceId: r.workspace_id, workspaceName: r.name, role: r.role }));
  }

  async roleOf(workspaceId: string, userId: string): Promise<Role | null> {
    const [row] = await this.rows<{ role: Role }>('SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2', [workspaceId, userId]);
    return row?.role ?? null;
  }

  async lockOwners(workspaceId: string): Promise<string[]> {
    // locks every membership row of the workspace: two concurrent demotions cannot both see a second owner
    const rows = await this.rows<{ user_id: string; role: Role }>('SELECT user_id, role FROM memberships WHERE workspace_id = $1 ORDER BY user_id FOR UPDATE', [workspaceId]);
    return rows.filter((r) => r.role === 'owner').map((r) => r.user_id);
  }

  async setRole(workspaceId: string, userId: string, role: Role): Promise<void> {
    await this.rows(
      `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [workspaceId, userId, role],
    );
  }

  async removeMember(workspaceId: string, userId: string): Promise<boolean> {
    const rows = await this.rows('DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2 RETURNING user_id', [workspaceId, userId]);
    return rows.length > 0;
  }

  async members(workspaceId: string): Promise<Member[]> {
    const rows = await this.rows<{ user_id: string; email: string; role: Role; created_at: Date }>(
      `SELECT m.user_id, u.email, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = $1 ORDER BY m.created_at, u.email`,
      [workspaceId],
    );
    return rows.map((r) => ({ userId: r.user_id, email: r.email, role: r.role, joinedAt: r.created_at }));
  }

  async insertSession(s: Session, tokenHash: string): Promise<void> {
    await this.rows(
      `INSERT INTO sessions (id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.userId, tokenHash, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt, s.ip, s.userAgent],
    );
  }

  async useSession(tokenHash: string, idleSeconds: number, workspaceId: string | null): Promise<SessionGrant | null> {
    // one round trip: validity (database clock), the idle timer's refresh and the role in the workspace
    const [row] = await this.rows<{
      id: string;
      user_id: string;
      csrf_token: string;
      email: string;
      role: Role | null;
      plan: PlanName | null;
      rate_limit: number | null;
    }>(
      `WITH s AS (
         UPDATE sessions SET last_seen_at = now()
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
            AND last_seen_at > now() - make_interval(secs => $2)
          RETURNING id, user_id, csrf_token)
       SELECT s.id, s.user_id, s.csrf_token, u.email, m.role, w.plan, w.rate_limit
         FROM s JOIN users u ON u.id = s.user_id
         LEFT JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = $3
         LEFT JOIN workspaces w ON w.id = m.workspace_id`,
      [tokenHash, idleSeconds, workspaceId],
    );
    if (!row) return null;
    return {
      sessionId: row.id,
      userId: row.user_id,
      email: row.email,
      csrfToken: row.csrf_token,
      // a member's workspace row always exists (memberships reference workspaces), so plan is set with role
      membership: row.role ? { role: row.role, plan: row.plan as PlanName, rateLimitOverride: row.rate_limit } : null,
    };
  }

  async sessionsOf(userId: string, idleSeconds: number): Promise<Session[]> {
    const rows = await this.rows<SessionRow>(
      `SELECT * FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
          AND last_seen_at > now() - make_interval(secs => $2) ORDER BY created_at DESC`,
      [userId, idleSeconds],
    );
    return rows.map(toSession);
  }

  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    const rows = await this.rows(
      'UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id',
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  async revokeSessionsOf(userId: string): Promise<void> {
    await this.rows('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }

  async insertInvitation(i: Invitation, tokenHash: string): Promise<void> {
    await this.rows(
      `INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [i.id, i.workspaceId, i.email, i.role, tokenHash, i.invitedBy, i.createdAt, i.expiresAt],
    );
  }

  async invitations(workspaceId: string): Promise<Invitation[]> {
    const rows = await this.rows<InvitationRow>(
      `SELECT * FROM invitations WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC`,
      [workspaceId],
    );
    return rows.map(toInvitation);
  }

  async claimInvitation(tokenHash: string, now: Date): Promise<Invitation | null> {
    const [row] = await this.rows<InvitationRow>(
      `UPDATE invitations SET accepted_at = $2
        WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING *`,
      [tokenHash, now],
    );
    return row ? toInvitation(row) : null;
  }

  async revokeInvitation(workspaceId: string, id: string): Promise<Invitation | null> {
    const [row] = await this.rows<InvitationRow>(
      `UPDATE invitations SET revoked_at = now()
        WHERE id = $1 AND workspace_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING *`,
      [id, workspaceId],
    );
    return row ? toInvitation(row) : null;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.rows(INSERT_AUDIT, auditParams(entry));
  }

  async appendAuditOnce(entry: AuditEntry): Promise<boolean> {
    const rows = await this.rows(`${INSERT_AUDIT} ON CONFLICT (event_id) DO NOTHING RETURNING seq`, auditParams(entry));
    return rows.length > 0;
  }

  async auditLog(workspaceId: string, page: { take: number; skip: number }): Promise<{ entries: AuditView[]; total: number }> {
    const [rows, [count]] = await Promise.all([
      this.rows<AuditRow>('SELECT * FROM audit_log WHERE workspace_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3', [workspaceId, page.take, page.skip]),
      this.rows<{ total: number }>('SELECT count(*)::int AS total FROM audit_log WHERE workspace_id = $1', [workspaceId]),
    ]);
    return { entries: rows.map(toAudit), total: count.total };
  }
}

export class PgAccessStore extends PgAccessTx implements AccessStore {
  constructor(private readonly dataSource: DataSource) {
    super(dataSource);
  }

  transaction<T>(work: (tx: AccessTx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new PgAccessTx(manager)));
  }
}
