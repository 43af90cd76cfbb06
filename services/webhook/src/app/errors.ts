import { DomainError, itemDetail } from '@hop/errors';

/** Ids of a batch that are not live subscriptions of the workspace. */
export function subscriptionsNotFound(missing: { index: number; id: string }[], field?: string): DomainError {
  return new DomainError('RESOURCE_NOT_FOUND', {
    params: { resource: 'Webhook', ids: [...new Set(missing.map((m) => m.id))].join(', ') },
    details: missing.map((m) => {
      const message = `Webhook ${m.id} not found in your workspace`;
      return field ? itemDetail(m.index, field, message) : { path: `[${m.index}]`, index: m.index, message };
    }),
  });
}

export const notFound = () => new DomainError('NOT_FOUND');
