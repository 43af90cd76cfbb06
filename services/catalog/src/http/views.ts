import type { Collection } from '../domain/collection';
import type { Tag } from '../domain/tag';

/** Records exactly as the Hoko docs show them: every field present, null when empty. */
export const collectionView = (c: Collection) => ({
  id: c.id,
  name: c.name,
  description: c.description,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const tagView = (t: Tag) => ({ id: t.id, name: t.name, color: t.color });
