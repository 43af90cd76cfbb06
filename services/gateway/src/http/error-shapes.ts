import { DomainError, type ErrorCode } from '@hop/errors';
import type http from 'node:http';
import { sendJsonBody, toHttpError } from '@hop/http';
import type { ApiFamily } from '../domain/routes';

interface PeerMessage {
  /** Shortpen's envelope message (Laravel style). */
  shortpen: string;
  /** Hozip's `detail` and `error_code` (Django REST framework style). */
  hozip: [detail: string, errorCode: string];
}

/** How the peers word the errors the gateway itself produces. */
const PEER_MESSAGES: Partial<Record<ErrorCode, PeerMessage>> = {
  INVALID_API_KEY: { shortpen: 'Unauthenticated.', hozip: ['Invalid token.', 'authentication_failed'] },
  MISSING_SCOPES: {
    shortpen: 'This action is unauthorized.',
    hozip: ['You do not have permission to perform this action.', 'permission_denied'],
  },
  RATE_LIMITED: { shortpen: 'Too Many Attempts.', hozip: ['Request was throttled.', 'throttled'] },
  NOT_FOUND: { shortpen: 'Not found.', hozip: ['Not found.', 'not_found'] },
  PAYLOAD_TOO_LARGE: { shortpen: 'Request body too large.', hozip: ['Request body too large.', 'payload_too_large'] },
  UPSTREAM_UNAVAILABLE: {
    shortpen: 'Service temporarily unavailable.',
    hozip: ['Service temporarily unavailable, try again later.', 'service_unavailable'],
  },
};
const FALLBACK: PeerMessage = { shortpen: 'Server error.', hozip: ['A server error occurred.', 'error'] };

/**
 * The one place that decides an error's body from the API the path belongs to: Hoko's bilingual
 * shape (exactly as documented, so without requestId: the x-request-id header carries it),
 * Shortpen's `{success:false,status_code,message}`, Hozip's `{detail,error_code}`.
 */
export function shapeError(family: ApiFamily, err: DomainError): { status: number; body: Record<string, unknown> } {
  const { status, body } = toHttpError(err);
  if (family === 'hoko') return { status, body };
  const message = PEER_MESSAGES[err.code] ?? FALLBACK;
  const missing = err.options.extra?.missingScopes as string[] | undefined;
  const retryAfter = err.options.extra?.retryAfter as number | undefined;
  if (family === 'shortpen') return { status, body: { success: false, status_code: status, message: message.shortpen } };
  let detail = message.hozip[0];
  if (missing) detail += ` Missing scopes: ${missing.join(', ')}.`;
  if (retryAfter) detail += ` Expected available in ${retryAfter} seconds.`;
  return { status, body: { detail, error_code: message.hozip[1] } };
}

export function sendShapedError(res: http.ServerResponse, family: ApiFamily, err: DomainError): void {
  const { status, body } = shapeError(family, err);
  sendJsonBody(res, status, body);
}
