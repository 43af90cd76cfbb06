import { TIMESTAMP_COLUMNS, type TableSpec } from '@hop/db';
import type { Collection } from '../domain/collection';
import type { Tag } from '../domain/tag';

export const COLLECTIONS_TABLE: TableSpec<Collection> = {
  table: 'collections',
  writable: [
    { field: 'name', column: 'name', type: 'text' },
    { field: 'description', column: 'description', type: 'text' },
  ],
  readOnly: [...TIMESTAMP_COLUMNS],
  softDelete: true,
  orderBy: ['created_at', 'id'],
};

export const TAGS_TABLE: TableSpec<Tag> = {
  table: 'tags',
  writable: [
    { field: 'name', column: 'name', type: 'text' },
    { field: 'color', column: 'color', type: 'text' },
  ],
  readOnly: [...TIMESTAMP_COLUMNS],
  softDelete: false,
  // Tag ids are time-ordered (UUIDv7), so id order is creation order.
  orderBy: ['id'],
  uniqueName: { index: 'tags_name_unique', resource: 'tag' },
};
