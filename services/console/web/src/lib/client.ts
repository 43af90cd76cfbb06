import { readApiError } from './api-error';
import { totalCountOf } from './format';

/** What every /api call of the signed-in console carries besides the session cookie. */
export interface SessionHeaders {
  workspaceId: string | null;
  csrfToken: string | null;
}

let current: SessionHeaders = { workspaceId: null, csrfToken: null };
export const setSessionHeaders = (headers: SessionHeaders) => {
  current = headers;
};

/** The workspace header of /api calls, for requests not made through `call` (the live stream). */
export const workspaceHeaders = (): Record<string, string> => (current.workspaceId ? { 'x-hop-workspace': current.workspaceId } : {});

export interface Reply<T> {
  body: T;
  total: number;
  /** The answer's headers (the settings page reads X-RateLimit-* from them). */
  headers: Headers;
}

/**
 * Same-origin call to the gateway: the session cookie goes by itself; X-Hop-Workspace names the
 * workspace and X-CSRF-Token guards every state change. Error answers throw ApiError.
 */
export async function call<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (current.workspaceId && path.startsWith('/api/')) headers['x-hop-workspace'] = current.workspaceId;
  if (current.csrfToken && method !== 'GET') headers['x-csrf-token'] = current.csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) throw readApiError(res.status, parsed);
  return { body: parsed as T, total: totalCountOf(res.headers.get('x-total-count')), headers: res.headers };
}

export const query = (params: Record<string, string | number | boolean | undefined>) =>
  new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();
