import { requiredName } from './batch';

export interface CollectionFields {
  id: string;
  name: string;
  description: string | null;
}

export interface Collection extends CollectionFields {
  createdAt: Date;
  updatedAt: Date;
}

export const newCollection = (id: string, fields: Omit<Partial<CollectionFields>, 'id'>): CollectionFields => ({
  id,
  name: requiredName(fields.name),
  description: fields.description ?? null,
});
