export type { components, operations, paths } from './generated/schema';
export { createHopClient, retryAfterOf, type HopClient, type HopClientOptions } from './client';
export { DEFAULT_PAGE_SIZE, HopApiError, listAll, pages, unwrap, type ListResult } from './paging';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent, type WebhookHeaders } from './webhooks';

import type { components } from './generated/schema';

/** The API's objects by name, e.g. `Schemas['Link']`. */
export type Schemas = components['schemas'];
