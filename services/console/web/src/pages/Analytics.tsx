import { lazy, Suspense, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { call, query } from '../lib/client';
import { formatBucket, formatMoney, formatNumber } from '../lib/format';
import { ErrorNote } from '../components/ErrorNote';

// the chart library is loaded with this page only
const ClicksChart = lazy(() => import('../components/ClicksChart'));

const INTERVALS = ['24h', '7d', '30d', '90d', '1y', 'all'] as const;
type Interval = (typeof INTERVALS)[number];

interface Totals {
  clicks: number;
  leads: number;
  sales: number;
  revenue: number;
}
type Row = Totals & Record<string, string | number | null>;

/** Which label field each breakdown's rows carry (GET /api/analytics/summary). */
const BREAKDOWNS = [
  { groupBy: 'countries', field: 'country' },
  { groupBy: 'devices', field: 'device' },
  { groupBy: 'browsers', field: 'browser' },
  { groupBy: 'referrers', field: 'referrer' },
] as const;

function useSummary<T>(groupBy: string, interval: Interval, includeBots: boolean, take?: number) {
  return useQuery({
    queryKey: ['analytics', groupBy, interval, includeBots],
    queryFn: async () => (await call<T>('GET', `/api/analytics/summary?${query({ groupBy, interval, includeBots, take })}`)).body,
    // a redirect shows within seconds without a reload
    refetchInterval: 5_000,
  });
}

function Breakdown({ groupBy, field, interval, includeBots }: { groupBy: string; field: string; interval: Interval; includeBots: boolean }) {
  const { t, language } = useI18n();
  const headingId = useId();
  const rows = useSummary<Row[]>(groupBy, interval, includeBots, 10);
  const max = Math.max(1, ...(rows.data ?? []).map((r) => r.clicks));
  const unknown = field === 'referrer' ? t('analytics.direct') : t('analytics.unknown');
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t(`analytics.${groupBy}`)}</h2>
      <ErrorNote error={rows.error} />
      <table className="breakdown">
        <thead>
          <tr>
            <th scope="col">{t('analytics.value')}</th>
            <th scope="col">{t('analytics.clicks')}</th>
          </tr>
        </thead>
        <tbody>
          {(rows.data ?? []).map((row, i) => (
            <tr key={`${String(row[field])}-${i}`}>
              <th scope="row">
                <bdi>{row[field] ?? unknown}</bdi>
                <span className="bar" style={{ inlineSize: `${(row.clicks / max) * 100}%` }} aria-hidden="true" />
              </th>
              <td>{formatNumber(row.clicks, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Analytics() {
  const { t, language } = useI18n();
  const [interval, setInterval] = useState<Interval>('24h');
  const [includeBots, setIncludeBots] = useState(false);
  const totals = useSummary<Totals>('count', interval, includeBots);
  const series = useSummary<Row[]>('timeseries', interval, includeBots);
  const points = (series.data ?? []).map((r) => ({ start: String(r.start), clicks: r.clicks }));
  const hourly = interval === '24h';
  const cards: [keyof Totals, string][] = [
    ['clicks', totals.data ? formatNumber(totals.data.clicks, language) : '…'],
    ['leads', totals.data ? formatNumber(totals.data.leads, language) : '…'],
    ['sales', totals.data ? formatNumber(totals.data.sales, language) : '…'],
    ['revenue', totals.data ? formatMoney(totals.data.revenue, language) : '…'],
  ];
  return (
    <main id="main">
      <div className="page-head">
        <h1>{t('analytics.title')}</h1>
      </div>
      <div className="toolbar">
        <div className="field inline">
          <label htmlFor="analytics-range">{t('analytics.range')}</label>
          <select id="analytics-range" value={interval} onChange={(e) => setInterval(INTERVALS.find((i) => i === e.target.value) ?? '24h')}>
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {t(`analytics.ranges.${i}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="check">
          <input id="analytics-bots" type="checkbox" checked={includeBots} onChange={(e) => setIncludeBots(e.target.checked)} />
          <label htmlFor="analytics-bots">{t('analytics.bots')}</label>
        </div>
      </div>
      <ErrorNote error={totals.error ?? series.error} />
      <dl className="totals">
        {cards.map(([key, value]) => (
          <div key={key} className="card">
            <dt>{t(`analytics.${key}`)}</dt>
            <dd data-testid={`total-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <section className="card" aria-labelledby="timeseries-title">
        <h2 id="timeseries-title">{t('analytics.timeseries')}</h2>
        {points.length === 0 && series.isSuccess ? (
          <p>{t('analytics.noData')}</p>
        ) : (
          <figure>
            <Suspense fallback={<p>{t('app.loading')}</p>}>
              <ClicksChart points={points} language={language} hourly={hourly} label={t('analytics.clicks')} />
            </Suspense>
            {points.length > 0 && (
              <figcaption className="visually-hidden">
                {t('analytics.chartSummary', {
                  n: formatNumber(points.reduce((sum, p) => sum + p.clicks, 0), language),
                  from: formatBucket(points[0].start, language, hourly),
                  to: formatBucket(points[points.length - 1].start, language, hourly),
                })}
              </figcaption>
            )}
          </figure>
        )}
      </section>
      <div className="grid">
        {BREAKDOWNS.map((b) => (
          <Breakdown key={b.groupBy} groupBy={b.groupBy} field={b.field} interval={interval} includeBots={includeBots} />
        ))}
      </div>
    </main>
  );
}
