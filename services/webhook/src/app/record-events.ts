import type { WebhookEvent, WebhookEventType } from '../domain/events';
import { clickView, conversionView, linkView, type ClickDescriber, type LinkObject } from '../domain/payloads';
import { wants, type Subscription } from '../domain/subscription';
import type { DeliveryQueue, LinkDirectory, SourceEvent, WakeDispatcher } from './ports';

export interface RecordDeps {
  queue: DeliveryQueue;
  links: LinkDirectory;
  describe: ClickDescriber;
  wake: WakeDispatcher;
}

/** The webhook types a source event may become (an upsert is a creation or an update: the link tells). */
const candidateTypes = (event: SourceEvent): WebhookEventType[] =>
  event.kind === 'link.upserted' ? ['link.created', 'link.updated'] : [event.kind];

function linkIdOf(event: SourceEvent): string {
  if (event.kind === 'link.clicked') return event.click.linkId;
  if (event.kind === 'link.upserted' || event.kind === 'link.deleted') return event.linkId;
  return event.conversion.linkId;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Turns consumed events into deliveries: for each event, each active subscription of its
 * workspace that wants it gets one delivery, recorded (idempotently on the event id) before any
 * attempt. Links come from the local projection; link changes refresh it when someone listens
 * and otherwise only drop the stale copy. Returns the number of deliveries recorded.
 */
export async function recordEvents(deps: RecordDeps, events: SourceEvent[]): Promise<number> {
  const subscriptions = await deps.queue.activeSubscriptions([...new Set(events.map((e) => e.workspaceId))]);
  const byWorkspace = groupBy(subscriptions, (s) => s.workspaceId);
  const wanted = (event: SourceEvent) =>
    (byWorkspace.get(event.workspaceId) ?? []).some((s) => candidateTypes(event).some((type) => s.events.includes(type)));

  const pairs: { subscription: Subscription; event: WebhookEvent }[] = [];
  for (const [workspaceId, inWorkspace] of groupBy(events, (e) => e.workspaceId)) {
    const linkChanges = inWorkspace.filter((e) => e.kind === 'link.upserted' || e.kind === 'link.deleted');
    const unwantedChanges = linkChanges.filter((e) => !wanted(e)).map(linkIdOf);
    if (unwantedChanges.length) await deps.links.forget(workspaceId, unwantedChanges);
    const relevant = inWorkspace.filter(wanted);
    if (!relevant.length) continue;
    const links = await linksFor(deps.links, workspaceId, relevant);
    for (const event of relevant) {
      const webhookEvent = toWebhookEvent(event, links.get(linkIdOf(event)) ?? null, deps.describe);
      if (!webhookEvent) continue;
      for (const subscription of byWorkspace.get(workspaceId) ?? []) {
        if (wants(subscription, webhookEvent)) pairs.push({ subscription, event: webhookEvent });
      }
    }
  }
  if (!pairs.length) return 0;
  const { recorded, waiting } = await deps.queue.enqueue(pairs);
  if (waiting) deps.wake();
  return recorded;
}

/** Changed links are fetched fresh (once per batch); clicked and converted links come from the projection. */
async function linksFor(directory: LinkDirectory, workspaceId: string, events: SourceEvent[]): Promise<Map<string, LinkObject>> {
  const changed = new Set(events.filter((e) => e.kind === 'link.upserted' || e.kind === 'link.deleted').map(linkIdOf));
  const links = await directory.find(workspaceId, [...new Set(events.map(linkIdOf))].filter((id) => !changed.has(id)));
  for (const linkId of changed) {
    const link = await directory.refresh(workspaceId, linkId);
    if (link) links.set(linkId, link);
  }
  return links;
}

/** The webhook event of a source event; null for a link change whose link the link service no longer has. */
function toWebhookEvent(event: SourceEvent, link: LinkObject | null, describe: ClickDescriber): WebhookEvent | null {
  const base = {
    id: event.id,
    workspaceId: event.workspaceId,
    occurredAt: event.occurredAt,
    linkId: linkIdOf(event),
    collectionId: typeof link?.collectionId === 'string' && link.collectionId ? link.collectionId : null,
  };
  switch (event.kind) {
    case 'link.upserted': {
      if (!link) return null;
      const created = typeof link.createdAt === 'string' && Date.parse(link.createdAt) === event.version;
      return { ...base, type: created ? 'link.created' : 'link.updated', data: { link: linkView(link) } };
    }
    case 'link.deleted':
      return link ? { ...base, type: 'link.deleted', data: { link: linkView(link) } } : null;
    case 'link.clicked':
      return { ...base, type: 'link.clicked', data: { click: clickView(event.click, describe), link: link ? linkView(link) : null } };
    default:
      return { ...base, type: event.kind, data: conversionView(event.kind, event.conversion, link) };
  }
}
