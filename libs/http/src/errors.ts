import { DomainError, type ErrorCode, type ErrorDetail, type ErrorParam } from '@hop/errors';
import { ERROR_TABLE, fillTemplate } from './error-table';

export interface ErrorBody {
  error: { en: string; ar: string };
  details?: ErrorDetail[];
  requestId?: string;
  [extra: string]: unknown;
}

/** Maps anything thrown to a status and the Hoko error body; unknown errors become a stack-free 500. */
export function toHttpError(err: unknown, requestId?: string): { status: number; body: ErrorBody } {
  const domain = err instanceof DomainError ? err : new DomainError('INTERNAL');
  const row = ERROR_TABLE[domain.code];
  const params = domain.options.params;
  const body: ErrorBody = {
    error: { en: fillTemplate(row.en, params), ar: fillTemplate(row.ar, params, 'ar') },
    ...domain.options.extra,
  };
  if (domain.options.details?.length) body.details = domain.options.details;
  if (requestId) body.requestId = requestId;
  return { status: row.status, body };
}

export const errorBody = (code: ErrorCode, params?: Record<string, ErrorParam>, requestId?: string) =>
  toHttpError(new DomainError(code, { params }), requestId);
