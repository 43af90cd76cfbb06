import { useQuery } from '@tanstack/react-query';
import { call } from './lib/client';
import type { Tag } from './pages/catalog/Tags';

export interface Named {
  id: string;
  name: string;
}

export interface Domain extends Named {
  status: 'pending' | 'verified' | 'failed';
}

/** The first 1,000 of a workspace resource, for the links filters and the link dialog's choices. */
const useAll = <T,>(resource: string) =>
  useQuery({ queryKey: [resource, 'all'], queryFn: async () => (await call<T[]>('GET', `/api/${resource}?take=1000`)).body });

export const useTags = () => useAll<Tag>('tags');
export const usePartners = () => useAll<Named>('partners');
export const useDomains = () => useAll<Domain>('domains');
