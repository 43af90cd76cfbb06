import { DomainError, itemDetail } from '@hop/errors';
import { unique } from '../domain/batch';
import { nameConflicts, type Tag, type TagFields } from '../domain/tag';
import type { ResourceStore } from './ports';

/** Fails the batch when it would leave two tags of the workspace with the same name (ignoring case). */
export async function assertUniqueTagNames(store: ResourceStore<Tag, TagFields>, batch: { index: number; row: TagFields }[]): Promise<void> {
  const stored = await store.withNames(unique(batch.map((b) => b.row.name)));
  const conflicts = nameConflicts(batch, stored);
  if (!conflicts.length) return;
  throw new DomainError('DUPLICATE_NAME', {
    params: { resource: 'tag', name: conflicts[0].name },
    details: conflicts.map((c) => itemDetail(c.index, 'name', `a tag named "${c.name}" already exists`)),
  });
}
