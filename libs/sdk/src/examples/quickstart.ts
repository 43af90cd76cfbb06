import { createHopClient, listAll, unwrap, type HopClientOptions } from '../index';

/**
 * The README's example, run by tests/system/sdk-example.int.test.ts against the real services:
 * a collection and a link, the workspace's links, the analytics, and a lead attributed to a click.
 * `visit` stands for a visitor opening the short link; it returns the click id (`hoko_id`) that
 * the destination received.
 */
export async function quickstart(options: HopClientOptions, visit: (shortUrl: string) => Promise<string>) {
  const hop = createHopClient(options); // e.g. { baseUrl: 'https://api.hop.example', apiKey: process.env.HOP_API_KEY }

  const [collection] = unwrap(await hop.POST('/api/collections', { body: [{ name: 'Spring campaign' }] }));
  const [link] = unwrap(
    await hop.POST('/api/links', {
      body: [{ url: 'https://example.com/spring', collectionId: collection.id, title: 'Spring sale', utm: { source: 'newsletter' } }],
    }),
  );

  // every link of the collection, page by page (X-Total-Count says when to stop)
  const links = await listAll(({ take, skip }) => hop.GET('/api/links', { params: { query: { collectionId: [collection.id], take, skip } } }));

  const clickId = await visit(link.shortUrl);
  const lead = unwrap(
    await hop.POST('/api/track/lead', {
      body: { clickId, eventName: 'Sign up', customerExternalId: 'user_42', customerName: 'Ada', metadata: { plan: 'pro' } },
    }),
  );

  const totals = unwrap(await hop.GET('/api/analytics/summary', { params: { query: { groupBy: 'count', linkId: link.id, interval: '24h' } } }));

  return { collection, link, links, lead, totals };
}
