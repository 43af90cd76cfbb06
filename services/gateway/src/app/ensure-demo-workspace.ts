import { hashKey } from '../domain/api-key';
import { authorizeKey } from '../domain/principal';
import { createApiKey } from './create-api-key';
import type { AdminDeps } from './ports';

/** A fixed id, so concurrent first starts create one demo workspace. */
export const DEMO_WORKSPACE_ID = '00000000-0000-4000-8000-00000000de00';

export interface DemoAccess {
  workspaceId: string;
  keyId: string;
  key: string;
  /** false when an earlier start's key is still valid and was returned again. */
  created: boolean;
}

/** Where the demo key's secret is kept between starts (only its hash is in the database). */
export interface DemoSecretFile {
  read(): Promise<{ keyId: string; key: string } | null>;
  write(value: { workspaceId: string; keyId: string; key: string }): Promise<void>;
}

/**
 * Makes sure a demo workspace (enterprise plan) and an all-scopes key exist, idempotently: the
 * key saved by an earlier start is returned while it is still valid; otherwise a new one is made.
 */
export async function ensureDemo(
  deps: Pick<AdminDeps, 'workspaces' | 'keys' | 'access'> & { secretFile: DemoSecretFile },
): Promise<DemoAccess> {
  const saved = await deps.secretFile.read();
  if (saved) {
    const record = await deps.keys.findRecordByHash(hashKey(saved.key));
    if (record?.workspaceId === DEMO_WORKSPACE_ID && 'principal' in authorizeKey(record, new Date())) {
      return { workspaceId: DEMO_WORKSPACE_ID, keyId: record.keyId, key: saved.key, created: false };
    }
  }
  await deps.workspaces.insert(
    { id: DEMO_WORKSPACE_ID, name: 'Demo', plan: 'enterprise', rateLimitOverride: null, createdAt: new Date() },
    { ifAbsent: true },
  );
  const { apiKey, key } = await createApiKey(deps, DEMO_WORKSPACE_ID, { name: 'demo', allScopes: true });
  await deps.secretFile.write({ workspaceId: DEMO_WORKSPACE_ID, keyId: apiKey.id, key });
  return { workspaceId: DEMO_WORKSPACE_ID, keyId: apiKey.id, key, created: true };
}
