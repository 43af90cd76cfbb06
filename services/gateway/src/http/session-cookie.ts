import type http from 'node:http';

export const SESSION_COOKIE = 'hop_session';

/** The session token of a Cookie header, null when absent or not shaped like one. */
export function readSessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
    }
  }
  return null;
}

export type CookieSecurity = 'auto' | 'always' | 'never';

export interface CookiePolicy {
  security: CookieSecurity;
  isHttps: (req: http.IncomingMessage) => boolean;
}

const secureFor = (policy: CookiePolicy, req: http.IncomingMessage) =>
  policy.security === 'always' || (policy.security === 'auto' && policy.isHttps(req));

/** `hop_session=<token>`: HttpOnly, SameSite=Lax, Path=/, lasting the session's absolute lifetime, Secure over https. */
export function sessionCookie(policy: CookiePolicy, req: http.IncomingMessage, token: string, maxAgeSeconds: number): string {
  const secure = secureFor(policy, req) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

export function clearedSessionCookie(policy: CookiePolicy, req: http.IncomingMessage): string {
  return sessionCookie(policy, req, '', 0);
}

/**
 * Whether a request's Origin (when the browser sends one) is Hop's own: PUBLIC_URL's origin when
 * configured, else the origin the request was addressed to (scheme + Host).
 */
export function originReader(publicOrigin: string | null, isHttps: (req: http.IncomingMessage) => boolean) {
  return (req: http.IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const own = publicOrigin ?? `${isHttps(req) ? 'https' : 'http'}://${req.headers.host ?? ''}`;
    return origin.toLowerCase() === own.toLowerCase();
  };
}
