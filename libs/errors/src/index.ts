/**
 * Domain errors carry a code, never an HTTP status: the HTTP kit owns the one table that maps
 * each code to a status and a bilingual message. Adding a code here without a row there fails
 * the build (the table is typed as Record<ErrorCode, …>).
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_REQUEST_FORMAT',
  'INVALID_API_KEY',
  'MISSING_SCOPES',
  'RATE_LIMITED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_CHARSET',
  'URI_TOO_LONG',
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  'INTERNAL_PROOF_MISSING',
  'ADMIN_TOKEN_INVALID',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL',
  'BATCH_TOO_LARGE',
  'FEATURE_NOT_IN_PLAN',
  'RESOURCE_NOT_FOUND',
  'EXTERNAL_ID_TAKEN',
  'DUPLICATE_NAME',
  'LINK_QUOTA_EXCEEDED',
  'INVALID_DATE_RANGE',
  'CLICK_NOT_FOUND',
  'NO_PRIOR_LEAD',
  'NO_ATTRIBUTION',
  'IDEMPOTENCY_KEY_REUSED',
  'CONFLICT',
  'KEY_TAKEN',
  'DOMAIN_NOT_USABLE',
  'DOMAIN_TAKEN',
  'DOMAIN_HAS_LINKS',
  'DOMAIN_QUOTA_EXCEEDED',
  'NOT_SIGNED_IN',
  'INVALID_CREDENTIALS',
  'CSRF_REJECTED',
  'NOT_A_MEMBER',
  'ROLE_FORBIDDEN',
  'LAST_OWNER',
  'INVITATION_INVALID',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with the input: `path` like "[3].url" or "take", and why. */
export interface ErrorDetail {
  path: string;
  message: string;
  index?: number;
  field?: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: {
      params?: Record<string, string | number>;
      details?: ErrorDetail[];
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(`${code}${options.params ? ` ${JSON.stringify(options.params)}` : ''}`);
    this.name = 'DomainError';
  }

  get details(): ErrorDetail[] | undefined {
    return this.options.details;
  }
}

export const invalid = (details: ErrorDetail[]) => new DomainError('INVALID_REQUEST', { details });

/** A detail for item `index` of a batch body. */
export const itemDetail = (index: number, field: string, message: string): ErrorDetail => ({
  path: `[${index}]${field ? `.${field}` : ''}`,
  index,
  field,
  message,
});

/**
 * RESOURCE_NOT_FOUND for the ids of a batch that are not records of the workspace (`label`, e.g.
 * "Partner"); `index` points at each in the request body, `field` names where the id sits in an
 * item (none when the items are the ids themselves).
 */
export function notFoundInWorkspace(label: string, missing: { index: number; id: string }[], field?: string): DomainError {
  return new DomainError('RESOURCE_NOT_FOUND', {
    params: { resource: label, ids: [...new Set(missing.map((m) => m.id))].join(', ') },
    details: missing.map((m) => {
      const message = `${label} ${m.id} not found in your workspace`;
      return field ? itemDetail(m.index, field, message) : { path: `[${m.index}]`, index: m.index, message };
    }),
  });
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
