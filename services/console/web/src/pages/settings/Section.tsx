import type { ReactNode } from 'react';
import { ApiError } from '../../lib/api-error';

/** A settings section: a titled card, or a note when the user's role may not see it (403). */
export function Section({ id, title, error, notAllowed, children }: { id: string; title: string; error?: unknown; notAllowed: string; children: ReactNode }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <section className="card" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {forbidden ? <p>{notAllowed}</p> : children}
    </section>
  );
}

/** The roles of a workspace, most powerful first (the API's Role). */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
