import { ensureDemo, type DemoAccess } from './app/ensure-demo-workspace';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { openAdminResources } from './admin-resources';
import { demoSecretFile } from './infra/demo-secret-file';

/**
 * Creates the demo workspace and an all-scopes key on first call; later calls return the same key
 * while it stays valid. Only the key's hash is in the database, so its secret is kept in
 * `<HOP_DATA_DIR>/demo-key.json` to be printed again on the next start.
 */
export async function ensureDemoWorkspace(
  config: GatewayConfig = loadGatewayConfig(),
): Promise<DemoAccess & { secretFile: string }> {
  const resources = await openAdminResources(config);
  const secretFile = demoSecretFile(config.dataDir);
  try {
    return { ...(await ensureDemo({ ...resources.deps, secretFile })), secretFile: secretFile.path };
  } finally {
    await resources.close();
  }
}

/** What `pnpm start` prints: the key and a request to paste. */
export function demoInstructions(access: DemoAccess, gatewayUrl = 'http://localhost:8080'): string {
  return [
    `Demo workspace ${access.workspaceId} — API key with every scope${access.created ? ' (new)' : ''}:`,
    '',
    `  ${access.key}`,
    '',
    'Try it:',
    `  curl -s -X POST ${gatewayUrl}/api/collections -H "Authorization: Bearer ${access.key}" \\`,
    `    -H "Content-Type: application/json" -d '[{"name":"Demo"}]'`,
    `  curl -s ${gatewayUrl}/api/links -H "Authorization: Bearer ${access.key}"`,
    '',
    `API reference: ${gatewayUrl}/docs`,
  ].join('\n');
}
