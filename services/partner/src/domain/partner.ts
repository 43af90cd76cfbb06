export interface PartnerFields {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
}

export interface Partner extends PartnerFields {
  createdAt: Date;
  updatedAt: Date;
}

/** Fields an item of a write batch sets; an omitted field keeps its value, null clears it. */
export type PartnerChanges = Partial<PartnerFields>;

export function newPartner(id: string, changes: PartnerChanges): PartnerFields {
  // Input validation requires a name to create; a missing one is a programming error.
  if (!changes.name) throw new Error('a new partner needs a name');
  return { id, name: changes.name, email: changes.email ?? null, phone: changes.phone ?? null };
}

/** `current` with every field that `changes` gives (undefined means "not given"). */
export function applyChanges<P extends PartnerFields>(current: P, changes: PartnerChanges): P {
  const next = { ...current };
  if (changes.name !== undefined) next.name = changes.name;
  if (changes.email !== undefined) next.email = changes.email;
  if (changes.phone !== undefined) next.phone = changes.phone;
  return next;
}

/** Indexes of `keys` that repeat an earlier key (the first occurrence is not reported). */
export function repeatedIndexes(keys: (string | undefined)[]): number[] {
  const seen = new Set<string>();
  return keys.flatMap((key, index) => {
    if (key === undefined) return [];
    if (seen.has(key)) return [index];
    seen.add(key);
    return [];
  });
}

export const unique = <T>(values: T[]): T[] => [...new Set(values)];
