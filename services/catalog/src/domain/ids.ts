import { v7, validate } from 'uuid';

/** Time-ordered UUIDs (v7): sorting by id is sorting by creation, as GET /api/tags documents. */
export const newId = (): string => v7();

export const isUuid = (value: string): boolean => validate(value);

/** The form the database returns UUIDs in. */
export const canonical = (uuid: string): string => uuid.toLowerCase();
