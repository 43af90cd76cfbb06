import { DomainError, itemDetail } from '@hop/errors';

/**
 * Ids of a batch that are not in the workspace; `index` points at each in the request body, and
 * `field` names where the id sits in an item (none when the items are the ids themselves).
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
