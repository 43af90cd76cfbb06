import type { ServerResponse } from 'node:http';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { serveApi } from '../test/api';
import { renderPage } from '../test/render';
import { LiveClicks } from './LiveClicks';

const click = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  linkId: 'l1',
  shortId: `key-${id}`,
  country: 'SA',
  city: 'Riyadh',
  deviceType: 'mobile',
  browserName: 'Safari',
  bot: false,
  createdAt: '2026-11-30T10:15:00.000Z',
  ...extra,
});

/** GET /api/analytics/live as the gateway streams it: text/event-stream, one `click` event a click. */
function liveStream() {
  const streams: ServerResponse[] = [];
  return {
    streams,
    route: (_: unknown, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 2000\n\n: connected\n\n');
      streams.push(res);
    },
    send: (res: ServerResponse, data: object) => res.write(`event: click\nid: ${(data as { id: string }).id}\ndata: ${JSON.stringify(data)}\n\n`),
  };
}

const rows = () => within(screen.getByTestId('live-clicks')).getAllByRole('row').slice(1);

describe('LiveClicks', () => {
  it('opens no stream before `start`, then shows clicks as they arrive, newest first', async () => {
    const live = liveStream();
    const api = await serveApi({ 'GET /api/analytics/live': live.route });
    const { rerender } = renderPage(<LiveClicks linkId="l1" includeBots={false} start={false} />);
    expect(screen.getByText('Waiting for clicks…')).toBeInTheDocument();
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'connecting');

    rerender(<LiveClicks linkId="l1" includeBots start />);
    await waitFor(() => expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'open'));
    expect(screen.getByTestId('live-status')).toHaveTextContent('Live: new clicks appear here within seconds.');
    expect(api.to('/api/analytics/live')).toHaveLength(1);
    expect(Object.fromEntries(api.to('/api/analytics/live')[0].query)).toEqual({ linkId: 'l1', includeBots: 'true' });
    expect(api.to('/api/analytics/live')[0].headers.accept).toBe('text/event-stream');

    live.send(live.streams[0], click('c1'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('/key-c1');
    expect(rows()[0]).toHaveTextContent('Riyadh, SA');
    expect(rows()[0]).toHaveTextContent('mobile · Safari');

    live.send(live.streams[0], click('c2', { city: null, country: null, deviceType: null, browserName: null, bot: true }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toHaveTextContent('/key-c2');
    expect(rows()[0]).toHaveTextContent('Unknown');
    expect(rows()[0]).toHaveTextContent('bot');
  });

  it('says so when the stream drops, reconnects after 2 s and keeps a click delivered twice once', async () => {
    const live = liveStream();
    await serveApi({ 'GET /api/analytics/live': live.route });
    renderPage(<LiveClicks includeBots={false} start />);
    await waitFor(() => expect(live.streams).toHaveLength(1));
    live.send(live.streams[0], click('c1'));
    await waitFor(() => expect(rows()).toHaveLength(1));

    live.streams[0].end();
    await waitFor(() => expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'retrying'));
    expect(screen.getByTestId('live-status')).toHaveTextContent('Connection lost: reconnecting…');
    // the clicks shown stay while it reconnects
    expect(rows()).toHaveLength(1);

    await waitFor(() => expect(live.streams).toHaveLength(2), { timeout: 5_000 });
    await waitFor(() => expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'open'));
    live.send(live.streams[1], click('c1'));
    live.send(live.streams[1], click('c3'));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.getAttribute('data-click-id'))).toEqual(['c3', 'c1']);
  });

  it('closes the stream when it goes away', async () => {
    const live = liveStream();
    await serveApi({ 'GET /api/analytics/live': live.route });
    const { unmount } = renderPage(<LiveClicks includeBots={false} start />);
    await waitFor(() => expect(live.streams).toHaveLength(1));
    const closed = new Promise<void>((resolve) => live.streams[0].on('close', resolve));
    unmount();
    await closed;
  });
});
