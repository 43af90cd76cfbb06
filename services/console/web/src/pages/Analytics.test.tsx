import type { ServerResponse } from 'node:http';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { serveApi, type Handler, type Received } from '../test/api';
import { renderPage } from '../test/render';
import { Analytics } from './Analytics';

const LINK = '00000000-0000-4000-8000-0000000000l1';

/** GET /api/analytics/summary's answers per groupBy, shaped as the analytics service sends them. */
const summary: Record<string, unknown> = {
  count: { clicks: 1000, leads: 50, sales: 10, revenue: 123450 },
  timeseries: [
    { start: '2026-11-30T08:00:00.000Z', clicks: 400, leads: 20, sales: 4, revenue: 50000 },
    { start: '2026-11-30T09:00:00.000Z', clicks: 600, leads: 30, sales: 6, revenue: 73450 },
  ],
  top_links: [{ linkId: LINK, clicks: 700, leads: 40, sales: 8, revenue: 100000 }],
  countries: [{ country: 'SA', clicks: 800, leads: 0, sales: 0, revenue: 0 }, { country: null, clicks: 200, leads: 0, sales: 0, revenue: 0 }],
  referrers: [{ referrer: null, clicks: 1000, leads: 0, sales: 0, revenue: 0 }],
};

const analyticsApi = (): Record<string, Handler> => ({
  'GET /api/analytics/summary': ({ query }) => ({ body: summary[query.get('groupBy') ?? ''] ?? [] }),
  'GET /api/links': () => ({ body: [{ id: LINK, shortUrl: 'https://go.example.test/spring', url: 'https://shop.example/spring', title: 'Spring sale' }] }),
  'GET /api/collections': () => ({ body: [] }),
  'GET /api/partners': () => ({ body: [{ id: 'p1', name: 'Acme Media' }] }),
  // the live stream stays open and quiet
  'GET /api/analytics/live': (_: Received, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': connected\n\n'),
});

/** The summary requests made so far, as their query parameters. */
const summaries = (api: Awaited<ReturnType<typeof serveApi>>, groupBy: string) =>
  api.to('/api/analytics/summary').map((r) => Object.fromEntries(r.query)).filter((q) => q.groupBy === groupBy);

describe('Analytics page', () => {
  it('shows the totals and the funnel’s figures with conversion rates and revenue per click', async () => {
    await serveApi(analyticsApi());
    renderPage(<Analytics />);
    await waitFor(() => expect(screen.getByTestId('total-clicks')).toHaveTextContent('1,000'));
    expect(screen.getByTestId('total-leads')).toHaveTextContent('50');
    expect(screen.getByTestId('total-sales')).toHaveTextContent('10');
    expect(screen.getByTestId('total-revenue')).toHaveTextContent('US$1,234.50');

    const funnel = screen.getByTestId('funnel');
    const step = (name: string) => within(funnel).getByRole('rowheader', { name }).closest('tr') as HTMLElement;
    expect(within(step('Clicks')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1,000', '—']);
    expect(within(step('Leads')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['50', '5%']);
    expect(within(step('Sales')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['10', '20%']);
    expect(funnel.parentElement).toHaveTextContent('Revenue: US$1,234.50 · Revenue per click: US$1.23');
  });

  it('names the top links (one call by id), labels unknown values, and opens the live stream once drawn', async () => {
    const api = await serveApi(analyticsApi());
    renderPage(<Analytics />);
    const top = (await screen.findByRole('heading', { name: 'Top links' })).closest('section') as HTMLElement;
    await waitFor(() => expect(within(top).getByRole('rowheader', { name: 'Spring sale' })).toBeInTheDocument());
    expect(Object.fromEntries(api.to('/api/links')[0].query)).toEqual({ id: LINK, take: '1' });
    const countries = screen.getByRole('heading', { name: 'Countries' }).closest('section') as HTMLElement;
    await waitFor(() => expect(within(countries).getAllByRole('rowheader').map((r) => r.textContent)).toEqual(['SA', 'Unknown']));
    const referrers = screen.getByRole('heading', { name: 'Referrers' }).closest('section') as HTMLElement;
    await waitFor(() => expect(within(referrers).getByRole('rowheader')).toHaveTextContent('Direct'));
    await waitFor(() => expect(api.to('/api/analytics/live')).toHaveLength(1));
  });

  it('sends the date range, its bucket and the bot choice in every report’s query', async () => {
    const api = await serveApi(analyticsApi());
    const { user } = renderPage(<Analytics />);
    await waitFor(() => expect(summaries(api, 'timeseries')).toContainEqual({ groupBy: 'timeseries', interval: '24h', includeBots: 'false', granularity: 'hour' }));
    await waitFor(() => expect(summaries(api, 'countries')).toContainEqual({ groupBy: 'countries', interval: '24h', includeBots: 'false', take: '10' }));

    await user.selectOptions(screen.getByLabelText('Date range'), 'Last 30 days');
    await waitFor(() => expect(summaries(api, 'timeseries')).toContainEqual({ groupBy: 'timeseries', interval: '30d', includeBots: 'false', granularity: 'day' }));
    await user.selectOptions(screen.getByLabelText('Date range'), 'Last year');
    await waitFor(() => expect(summaries(api, 'count')).toContainEqual({ groupBy: 'count', interval: '1y', includeBots: 'false' }));
    expect(summaries(api, 'timeseries')).toContainEqual({ groupBy: 'timeseries', interval: '1y', includeBots: 'false', granularity: 'month' });

    await user.click(screen.getByRole('checkbox', { name: 'Include bots' }));
    await waitFor(() => expect(summaries(api, 'count')).toContainEqual({ groupBy: 'count', interval: '1y', includeBots: 'true' }));
    expect(summaries(api, 'top_links')).toContainEqual({ groupBy: 'top_links', interval: '1y', includeBots: 'true', take: '10' });
    // the live stream follows the bot choice too
    await waitFor(() => expect(api.to('/api/analytics/live').map((r) => r.query.get('includeBots'))).toContain('true'));
  });

  it('asks for the breakdowns once the figures and the chart’s series have answered', async () => {
    let answerSeries = () => {};
    const seriesHeld = new Promise<void>((resolve) => (answerSeries = resolve));
    const routes = analyticsApi();
    const answer = routes['GET /api/analytics/summary'];
    const api = await serveApi({
      ...routes,
      'GET /api/analytics/summary': async (request, res) => {
        if (request.query.get('groupBy') === 'timeseries') await seriesHeld;
        return answer(request, res);
      },
    });
    renderPage(<Analytics />);
    await waitFor(() => expect(screen.getByTestId('total-clicks')).toHaveTextContent('1,000'));
    await waitFor(() => expect(summaries(api, 'timeseries')).toHaveLength(1));
    // the figures are in, the series is not: nothing else has been asked for
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.to('/api/analytics/summary').map((r) => r.query.get('groupBy'))).toEqual(['count', 'timeseries']);
    answerSeries();
    await waitFor(() => expect(summaries(api, 'countries')).toHaveLength(1));
    await waitFor(() => expect(summaries(api, 'top_links')).toHaveLength(1));
  });

  it('asks for custom dates only while they run forwards', async () => {
    const api = await serveApi(analyticsApi());
    const { user } = renderPage(<Analytics />);
    await user.selectOptions(screen.getByLabelText('Date range'), 'Custom dates');
    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To');
    await user.clear(from);
    await user.type(from, '2026-11-01');
    await user.clear(to);
    await user.type(to, '2026-11-02');
    await waitFor(() => expect(summaries(api, 'timeseries')).toContainEqual({ groupBy: 'timeseries', startDate: '2026-11-01', endDate: '2026-11-02', includeBots: 'false', granularity: 'hour' }));

    const before = api.received.length;
    await user.clear(from);
    await user.type(from, '2026-11-05');
    // from after to: nothing is asked for that range
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.received.slice(before).filter((r) => r.query.get('startDate') === '2026-11-05')).toEqual([]);
  });

  it('filters every report and the live clicks by the chosen collection and lists its links in the link filter', async () => {
    const spring = '00000000-0000-4000-8000-0000000000c1';
    const api = await serveApi({ ...analyticsApi(), 'GET /api/collections': () => ({ body: [{ id: spring, name: 'Spring' }] }) });
    const { user } = renderPage(<Analytics />);
    await screen.findByRole('option', { name: 'Spring' });
    await user.selectOptions(screen.getByLabelText('Collection'), 'Spring');
    for (const groupBy of ['count', 'timeseries', 'top_links', 'countries']) {
      await waitFor(() => expect(summaries(api, groupBy).at(-1)).toMatchObject({ collectionId: spring }));
    }
    // the link filter offers the collection's links (one call by collection)
    await waitFor(() => expect(api.to('/api/links').map((r) => r.query.get('collectionId'))).toContain(spring));
    expect(await screen.findByRole('option', { name: 'Spring sale' })).toBeInTheDocument();
    // and the live clicks stream is reopened for the collection (a stream aborted as its request
    // left can still reach the server after the new one: not necessarily the last to arrive)
    await waitFor(() => expect(api.to('/api/analytics/live').map((r) => r.query.get('collectionId'))).toContain(spring));

    await user.selectOptions(screen.getByLabelText('Collection'), 'All collections');
    await waitFor(() => expect(summaries(api, 'count').at(-1)).not.toHaveProperty('collectionId'));
  });
});
