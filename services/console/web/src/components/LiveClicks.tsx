import { memo, useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { mergeLive } from '../lib/analytics';
import { query } from '../lib/client';
import { formatTime } from '../lib/format';
import { followServerEvents, type LiveStatus } from '../lib/live-stream';

interface LiveClick {
  id: string;
  linkId: string;
  shortId: string;
  country: string | null;
  city: string | null;
  deviceType: string | null;
  browserName: string | null;
  bot: boolean;
  createdAt: string;
}

const SHOWN = 20;
/** Reports are refreshed at most this often while clicks stream in (one refresh covers many clicks). */
const REFRESH_MS = 5_000;

/**
 * Clicks as they are stored (GET /api/analytics/live), newest first; the reports refresh behind
 * them. The stream opens once `start` is true: it holds one of the browser's six connections to
 * the gateway, which the page's first reports need more.
 */
// memoised: the analytics page renders again as each of its reports answers; this panel changes only with its clicks
export const LiveClicks = memo(function LiveClicks({
  linkId,
  partnerId,
  collectionId,
  includeBots,
  start,
}: {
  linkId?: string;
  partnerId?: string;
  collectionId?: string;
  includeBots: boolean;
  start: boolean;
}) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [clicks, setClicks] = useState<LiveClick[]>([]);

  useEffect(() => {
    if (!start) return;
    const abort = new AbortController();
    let refresh: ReturnType<typeof setTimeout> | undefined;
    void followServerEvents(
      `/api/analytics/live?${query({ linkId, partnerId, collectionId, includeBots })}`,
      (event) => {
        if (event.event !== 'click') return;
        const click = JSON.parse(event.data) as LiveClick;
        setClicks((shown) => mergeLive(shown, click, SHOWN));
        refresh ??= setTimeout(() => {
          refresh = undefined;
          void queryClient.invalidateQueries({ queryKey: ['analytics'] });
        }, REFRESH_MS);
      },
      setStatus,
      abort.signal,
    );
    return () => {
      abort.abort();
      clearTimeout(refresh);
      // the next stream (other filters) starts from nothing
      setStatus('connecting');
      setClicks([]);
    };
  }, [linkId, partnerId, collectionId, includeBots, queryClient, start]);

  return (
    <section className="card" aria-labelledby="live-title">
      <h2 id="live-title">
        <span className={`live-dot ${status}`} aria-hidden="true" /> {t('analytics.live')}
      </h2>
      <p className="hint" role="status" data-testid="live-status" data-status={status}>
        {t(`analytics.liveStatus.${status}`)}
      </p>
      {clicks.length === 0 ? (
        <p>{t('analytics.liveEmpty')}</p>
      ) : (
        <table className="live" data-testid="live-clicks">
          <thead>
            <tr>
              <th scope="col">{t('analytics.liveTime')}</th>
              <th scope="col">{t('analytics.link')}</th>
              <th scope="col">{t('analytics.liveWhere')}</th>
              <th scope="col">{t('analytics.liveDevice')}</th>
            </tr>
          </thead>
          <tbody>
            {clicks.map((c) => (
              <tr key={c.id} data-click-id={c.id}>
                <td>{formatTime(c.createdAt, language)}</td>
                <th scope="row" className="mono">
                  <bdi>/{c.shortId}</bdi>
                </th>
                <td>
                  <bdi>{[c.city, c.country].filter(Boolean).join(', ') || t('analytics.unknown')}</bdi>
                </td>
                <td>
                  <bdi>{[c.deviceType, c.browserName].filter(Boolean).join(' · ') || t('analytics.unknown')}</bdi>
                  {c.bot && <span className="tag"> {t('analytics.bot')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
