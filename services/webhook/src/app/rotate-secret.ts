import { notFound } from './errors';
import type { NewSecret, WebhookAccess } from './ports';

/**
 * Gives a subscription a new secret (returned once); the current one keeps signing beside it for
 * `graceSeconds`, so receivers can switch without dropping deliveries.
 */
export async function rotateSecret(access: WebhookAccess, newSecret: NewSecret, workspaceId: string, id: string, graceSeconds: number) {
  return access.write(workspaceId, async (store) => {
    const [current] = await store.lockByIds([id]);
    if (!current) throw notFound();
    const now = new Date();
    const rotated = {
      ...current,
      secret: newSecret(),
      previousSecret: graceSeconds > 0 ? current.secret : null,
      previousSecretExpiresAt: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null,
      updatedAt: now,
    };
    await store.update([rotated]);
    return rotated;
  });
}
