import type http from 'node:http';
import { DomainError, type ErrorCode, type ErrorDetail, type ErrorParam } from '@hop/errors';
import { toHttpError } from '@hop/http';

/** Writes a small JSON error in the Hoko bilingual shape. */
export function sendError(
  res: http.ServerResponse,
  code: ErrorCode,
  options: { details?: ErrorDetail[]; params?: Record<string, ErrorParam>; headers?: http.OutgoingHttpHeaders } = {},
): void {
  const { status, body } = toHttpError(new DomainError(code, { details: options.details, params: options.params }));
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...options.headers })
    .end(JSON.stringify(body));
}

/** True when an If-None-Match header names `etag` (weak comparison, as RFC 9110 prescribes for it). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** The query string of a request URL (node:http gives path + query only). */
export const requestQuery = (req: http.IncomingMessage) => new URL(req.url ?? '/', 'http://short.invalid').searchParams;
