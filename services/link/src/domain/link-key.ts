/**
 * Short link keys (custom slugs): 1–64 characters of A–Z a–z 0–9 "-" "_", case-sensitive
 * ("Sale" and "sale" are two keys), unique among the live links of one domain. Reserved words
 * (compared case-insensitively) are the redirector's own paths and names kept for later use.
 */
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const RESERVED_KEYS = ['qrcode', 'analytics.js', 'healthz', 'readyz', 'metrics', 'api', 'admin', 'app', 'favicon.ico', 'robots.txt', 'well-known'] as const;

const reserved = new Set<string>(RESERVED_KEYS);

/** Why a key cannot be used, or null when it can. */
export function keyProblem(key: string): string | null {
  if (!KEY_PATTERN.test(key)) return 'must be 1 to 64 characters of A-Z, a-z, 0-9, "-" and "_"';
  if (reserved.has(key.toLowerCase())) return `"${key}" is reserved`;
  return null;
}

/**
 * A route's identity in Redis, events and caches (a contract with the redirector, libs/events): the
 * key alone on the deployment's default domain (so existing routes keep their names),
 * `<domain>/<key>` on a branded domain ("/" occurs in neither part).
 */
export { routeIdOf } from '@hop/events';
