import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './lib/api-error';
import { call, setSessionHeaders } from './lib/client';

export interface Me {
  user: { id: string; email: string };
  workspaces: { id: string; name: string; role: string }[];
  csrfToken: string;
}

interface SessionValue {
  me: Me | null;
  loading: boolean;
  workspaceId: string | null;
  selectWorkspace: (id: string) => void;
  signIn: (email: string, password: string) => Promise<void>;
  acceptInvitation: (token: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);
const WORKSPACE_KEY = 'hop.console.workspace';

async function fetchMe(): Promise<Me | null> {
  try {
    return (await call<Me>('GET', '/auth/me')).body;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** The signed-in user (GET /auth/me), the chosen workspace and the CSRF token every change sends. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: Infinity, retry: false });
  const me = meQuery.data ?? null;
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(WORKSPACE_KEY));
  const workspaceId = me ? (me.workspaces.find((w) => w.id === chosen)?.id ?? me.workspaces[0]?.id ?? null) : null;

  // set during render, before the children's queries run with them
  setSessionHeaders({ workspaceId, csrfToken: me?.csrfToken ?? null });
  useEffect(() => {
    if (workspaceId) localStorage.setItem(WORKSPACE_KEY, workspaceId);
  }, [workspaceId]);

  // every cached answer but the user's own belongs to the previous workspace or session
  const forgetWorkspaceData = useCallback(() => queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' }), [queryClient]);
  const selectWorkspace = useCallback(
    (id: string) => {
      setChosen(id);
      // the removal makes the mounted pages refetch at once, before the next render sets the
      // headers: those calls must already name the new workspace (App.test.tsx)
      setSessionHeaders({ workspaceId: id, csrfToken: me?.csrfToken ?? null });
      forgetWorkspaceData();
    },
    [forgetWorkspaceData, me],
  );
  // both answer the signed-in user, and set the session cookie
  const openSession = useCallback(
    async (path: string, body: Record<string, string>) => queryClient.setQueryData(['me'], (await call<Me>('POST', path, body)).body),
    [queryClient],
  );
  const signIn = useCallback(async (email: string, password: string) => void (await openSession('/auth/login', { email, password })), [openSession]);
  const acceptInvitation = useCallback(
    async (token: string, password: string) => void (await openSession('/auth/invitations/accept', { token, password })),
    [openSession],
  );
  const signOut = useCallback(async () => {
    await call('POST', '/auth/logout');
    // the ['me'] query stays in the cache (its observer would not see a new one) and now says: signed out
    queryClient.setQueryData(['me'], null);
    forgetWorkspaceData();
  }, [queryClient, forgetWorkspaceData]);

  const value = useMemo(
    () => ({ me, loading: meQuery.isPending, workspaceId, selectWorkspace, signIn, acceptInvitation, signOut }),
    [me, meQuery.isPending, workspaceId, selectWorkspace, signIn, acceptInvitation, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
