import { requiredName } from './batch';

/** The colors the Hoko docs list for tags ("Available Colors"), in their order. */
export const TAG_COLORS = [
  'slate', 'gray', 'zinc', 'neutral', 'stone', 'red', 'orange', 'amber', 'yellow', 'lime', 'green',
  'emerald', 'teal', 'cyan', 'sky', 'blue', 'indigo', 'violet', 'purple', 'fuchsia', 'pink', 'rose',
] as const;

export type TagColor = (typeof TAG_COLORS)[number];

export const DEFAULT_TAG_COLOR: TagColor = 'slate';

export interface TagFields {
  id: string;
  name: string;
  color: TagColor;
}

export interface Tag extends TagFields {
  createdAt: Date;
  updatedAt: Date;
}

export const newTag = (id: string, fields: Omit<Partial<TagFields>, 'id'>): TagFields => ({
  id,
  name: requiredName(fields.name),
  color: fields.color ?? DEFAULT_TAG_COLOR,
});

/** How tag names compare: "Sale" and "sale" are the same tag name. */
export const nameKey = (name: string): string => name.toLowerCase();

export interface NamedRow {
  id: string;
  name: string;
}

/**
 * Which rows of a write batch would give two tags of the workspace the same name: a repeat
 * within the batch, or the name of a stored tag that the batch does not rename.
 */
export function nameConflicts(batch: { index: number; row: NamedRow }[], stored: NamedRow[]): { index: number; name: string }[] {
  const inBatch = new Set(batch.map((b) => b.row.id));
  const taken = new Set(stored.filter((s) => !inBatch.has(s.id)).map((s) => nameKey(s.name)));
  const conflicts: { index: number; name: string }[] = [];
  for (const { index, row } of batch) {
    const key = nameKey(row.name);
    if (taken.has(key)) conflicts.push({ index, name: row.name });
    else taken.add(key);
  }
  return conflicts;
}
