import { v7, validate } from 'uuid';

/** Time-ordered UUIDs (v7): partners created in one batch list in input order. */
export const newId = (): string => v7();

export const isUuid = (value: string): boolean => validate(value);

/** The form the database returns UUIDs in. */
export const canonical = (uuid: string): string => uuid.toLowerCase();
