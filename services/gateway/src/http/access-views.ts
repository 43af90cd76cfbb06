import type { AuditView, Invitation, Member, Session } from '../app/ports';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The JSON shapes of the access context's answers (services/gateway/openapi/parts/access.json). */
export const memberView = (m: Member) => ({ userId: m.userId, email: m.email, role: m.role, joinedAt: iso(m.joinedAt) });

export const invitationView = (i: Invitation) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  createdAt: iso(i.createdAt),
  expiresAt: iso(i.expiresAt),
});

export const sessionView = (s: Session & { current: boolean }) => ({
  id: s.id,
  current: s.current,
  createdAt: iso(s.createdAt),
  lastSeenAt: iso(s.lastSeenAt),
  expiresAt: iso(s.expiresAt),
  ip: s.ip,
  userAgent: s.userAgent,
});

export const auditView = (e: AuditView) => ({
  id: e.id,
  occurredAt: iso(e.occurredAt),
  actor: e.actor,
  action: e.action,
  target: e.target,
  details: e.details,
  ip: e.ip,
});
