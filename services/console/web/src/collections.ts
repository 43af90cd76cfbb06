import { useQuery } from '@tanstack/react-query';
import { call } from './lib/client';

/** The workspace's collections (for the links filter and the link dialog). */
export const useCollections = () =>
  useQuery({ queryKey: ['collections'], queryFn: async () => (await call<{ id: string; name: string }[]>('GET', '/api/collections?take=1000')).body });
