import type { Subscription } from '../domain/subscription';
import { notFound } from './errors';
import type { Page, WebhookAccess } from './ports';

export function listSubscriptions(access: WebhookAccess, workspaceId: string, query: Page & { ids?: string[] }) {
  return access.read(workspaceId).list(query);
}

/** One subscription of the workspace; NOT_FOUND otherwise (another workspace's ids are not found either). */
export async function getSubscription(access: WebhookAccess, workspaceId: string, id: string): Promise<Subscription> {
  const { items } = await access.read(workspaceId).list({ ids: [id], take: 1, skip: 0, sort: 'desc' });
  if (!items[0]) throw notFound();
  return items[0];
}
