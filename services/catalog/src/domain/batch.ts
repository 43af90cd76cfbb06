/** Fields an item of a write batch sets; an omitted field keeps its value, null clears it. */
export type Changes<W> = { [K in keyof W]?: W[K] };

/** `current` with every field that `changes` names (undefined means "not given"). */
export function applyChanges<R extends W, W>(current: R, changes: Changes<W>): R {
  const next = { ...current };
  for (const key of Object.keys(changes) as (keyof W)[]) {
    if (changes[key] !== undefined) (next as W)[key] = changes[key];
  }
  return next;
}

/** Indexes of `keys` that repeat an earlier key (the first occurrence is not reported). */
export function repeatedIndexes(keys: (string | undefined)[]): number[] {
  const seen = new Set<string>();
  const repeated: number[] = [];
  keys.forEach((key, index) => {
    if (key === undefined) return;
    if (seen.has(key)) repeated.push(index);
    else seen.add(key);
  });
  return repeated;
}

/** `values` without repeats, in first-seen order. */
export const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** Creating needs a name; input validation guarantees it, so a missing one is a programming error. */
export function requiredName(name: string | undefined): string {
  if (!name) throw new Error('a new record needs a name');
  return name;
}
