import { DomainError, itemDetail } from '@hop/errors';

/**
 * Ids of a batch that are not live partners of the workspace; `index` points at each in the
 * request body, `field` names where the id sits in an item (none when the items are the ids).
 */
export function partnersNotFound(missing: { index: number; id: string }[], field?: string): DomainError {
  return new DomainError('RESOURCE_NOT_FOUND', {
    params: { resource: 'Partner', ids: [...new Set(missing.map((m) => m.id))].join(', ') },
    details: missing.map((m) => {
      const message = `Partner ${m.id} not found in your workspace`;
      return field ? itemDetail(m.index, field, message) : { path: `[${m.index}]`, index: m.index, message };
    }),
  });
}
