import { lazy, memo, Suspense, useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCollections } from '../collections';
import { useI18n } from '../i18n';
import { funnelSteps, granularityFor, INTERVALS, markRendered, rangeParams, type Interval, type Range, type Totals } from '../lib/analytics';
import { call, query } from '../lib/client';
import { formatBucket, formatMoney, formatNumber, formatPercent } from '../lib/format';
import { ErrorNote } from '../components/ErrorNote';
import { LiveClicks } from '../components/LiveClicks';

// the chart library is loaded with this page only: its first render (the chart's placeholder)
// starts the download, in parallel with the page's API calls, and after the first paint
const ClicksChart = lazy(() => import('../components/ClicksChart'));

type Row = Totals & Record<string, string | number | null>;
interface LinkItem {
  id: string;
  shortUrl: string;
  url: string;
  title: string | null;
}

/** Which label field each breakdown's rows carry (GET /api/analytics/summary). */
const BREAKDOWNS = [
  { groupBy: 'countries', field: 'country' },
  { groupBy: 'devices', field: 'device' },
  { groupBy: 'browsers', field: 'browser' },
  { groupBy: 'os', field: 'os' },
  { groupBy: 'referrers', field: 'referrer' },
  { groupBy: 'utm_sources', field: 'utmSource' },
  { groupBy: 'utm_mediums', field: 'utmMedium' },
  { groupBy: 'utm_campaigns', field: 'utmCampaign' },
] as const;

interface Filters {
  range: Range;
  includeBots: boolean;
  linkId?: string;
  partnerId?: string;
  collectionId?: string;
}

/**
 * One report. `wait`: not asked yet (the breakdowns wait for the figures and the chart, so that on
 * a large workspace those first answers do not queue behind a dozen others for the browser's six
 * connections and the service's CPU).
 */
function useSummary<T>(groupBy: string, filters: Filters, extra: Record<string, string | number> = {}, wait = false) {
  const range = rangeParams(filters.range);
  const params = { groupBy, ...range, includeBots: filters.includeBots, linkId: filters.linkId, partnerId: filters.partnerId, collectionId: filters.collectionId, ...extra };
  return useQuery({
    queryKey: ['analytics', params],
    queryFn: async () => {
      // each report's request starts in a task of its own: the breakdowns are asked for together,
      // and a dozen fetch() calls in one task (several milliseconds each on a slow CPU) made one
      // long task of it (Lighthouse's total blocking time)
      await new Promise((resolve) => setTimeout(resolve, 0));
      return (await call<T>('GET', `/api/analytics/summary?${query(params)}`)).body;
    },
    enabled: range !== null && !wait,
    // the previous range's figures stay on screen while the next load
    placeholderData: keepPreviousData,
  });
}

/** Links by id (for top links' labels and the link filter), in one call. */
function useLinksById(ids: string[]) {
  const sorted = [...new Set(ids)].sort();
  return useQuery({
    queryKey: ['links-by-id', sorted],
    queryFn: async () => {
      const params = new URLSearchParams(sorted.map((id) => ['id', id]));
      params.set('take', String(sorted.length));
      const links = (await call<LinkItem[]>('GET', `/api/links?${params.toString()}`)).body;
      return new Map(links.map((l) => [l.id, l]));
    },
    enabled: sorted.length > 0,
    staleTime: 60_000,
  });
}

const linkLabel = (link: LinkItem | undefined) => (link ? link.title || link.shortUrl.replace(/^https?:\/\//, '') : undefined);

function BreakdownTable({ title, rows, label, error }: { title: string; rows: Row[] | undefined; label: (row: Row) => ReactNode; error: unknown }) {
  const { t, language } = useI18n();
  const headingId = useId();
  const max = Math.max(1, ...(rows ?? []).map((r) => r.clicks));
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <ErrorNote error={error} />
      {rows && rows.length === 0 ? (
        <p>{t('analytics.noData')}</p>
      ) : (
        <table className="breakdown">
          <thead>
            <tr>
              <th scope="col">{t('analytics.value')}</th>
              <th scope="col">{t('analytics.clicks')}</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((row, i) => (
              <tr key={i}>
                <th scope="row">
                  <bdi>{label(row)}</bdi>
                  <span className="bar" style={{ inlineSize: `${(row.clicks / max) * 100}%` }} aria-hidden="true" />
                </th>
                <td>{formatNumber(row.clicks, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// The report panels are memoised (with props that stay the same while their data does): the page
// renders again as each of its dozen queries answers, and re-rendering every panel each time made
// long tasks of 100-200 ms on a 2-core machine (Lighthouse's total blocking time).
const Breakdown = memo(function Breakdown({ groupBy, field, filters, wait }: { groupBy: string; field: string; filters: Filters; wait: boolean }) {
  const { t } = useI18n();
  const rows = useSummary<Row[]>(groupBy, filters, { take: 10 }, wait);
  const unknown = field === 'referrer' ? t('analytics.direct') : t('analytics.unknown');
  return <BreakdownTable title={t(`analytics.${groupBy}`)} rows={rows.data} error={rows.error} label={(row) => row[field] ?? unknown} />;
});

const TopLinks = memo(function TopLinks({ rows, error, links }: { rows: Row[] | undefined; error: unknown; links: Map<string, LinkItem> | undefined }) {
  const { t } = useI18n();
  return (
    <BreakdownTable
      title={t('analytics.top_links')}
      rows={rows}
      error={error}
      label={(row) => linkLabel(links?.get(String(row.linkId))) ?? (links ? t('analytics.deleted') : '…')}
    />
  );
});

const NO_TOTALS: Totals = { clicks: 0, leads: 0, sales: 0, revenue: 0 };

const Funnel = memo(function Funnel({ totals = NO_TOTALS }: { totals: Totals | undefined }) {
  const { t, language } = useI18n();
  return (
    <section className="card" aria-labelledby="funnel-title">
      <h2 id="funnel-title">{t('analytics.funnel')}</h2>
      <table className="breakdown funnel" data-testid="funnel">
        <thead>
          <tr>
            <th scope="col">{t('analytics.funnelStep')}</th>
            <th scope="col">{t('analytics.count')}</th>
            <th scope="col">{t('analytics.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {funnelSteps(totals).map((s) => (
            <tr key={s.step}>
              <th scope="row">
                <bdi>{t(`analytics.${s.step}`)}</bdi>
                <span className="bar" style={{ inlineSize: `${totals.clicks ? (s.count / totals.clicks) * 100 : 0}%` }} aria-hidden="true" />
              </th>
              <td>{formatNumber(s.count, language)}</td>
              <td>{s.rate === null ? '—' : formatPercent(s.rate, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t('analytics.revenue')}: <strong>{formatMoney(totals.revenue, language)}</strong> · {t('analytics.revenuePerClick')}:{' '}
        <strong>{formatMoney(totals.clicks ? totals.revenue / totals.clicks : 0, language)}</strong>
      </p>
    </section>
  );
});

/** A filter: "all" (empty value) or one of `options` ([id, label]). */
function FilterSelect(props: { id: string; label: string; all: string; hint?: string; value: string; options: [string, string][]; onChange: (id: string) => void }) {
  const { id, label, all, hint, value, options, onChange } = props;
  return (
    <div className="field inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map(([optionId, optionLabel]) => (
          <option key={optionId} value={optionId}>
            {optionLabel}
          </option>
        ))}
      </select>
      {hint && (
        <small id={`${id}-hint`} className="visually-hidden">
          {hint}
        </small>
      )}
    </div>
  );
}

function RangePicker({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  const { t } = useI18n();
  const today = new Date().toISOString().slice(0, 10);
  const choice = 'interval' in range ? range.interval : 'custom';
  return (
    <>
      <div className="field inline">
        <label htmlFor="analytics-range">{t('analytics.range')}</label>
        <select
          id="analytics-range"
          value={choice}
          onChange={(e) => {
            const interval = INTERVALS.find((i) => i === e.target.value);
            onChange(interval ? { interval } : { startDate: new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10), endDate: today });
          }}
        >
          {[...INTERVALS, 'custom' as const].map((i) => (
            <option key={i} value={i}>
              {t(`analytics.ranges.${i}`)}
            </option>
          ))}
        </select>
      </div>
      {'startDate' in range && (
        <>
          <div className="field inline">
            <label htmlFor="analytics-from">{t('analytics.from')}</label>
            <input id="analytics-from" type="date" value={range.startDate} max={range.endDate} onChange={(e) => onChange({ ...range, startDate: e.target.value })} />
          </div>
          <div className="field inline">
            <label htmlFor="analytics-to">{t('analytics.to')}</label>
            <input id="analytics-to" type="date" value={range.endDate} min={range.startDate} max={today} onChange={(e) => onChange({ ...range, endDate: e.target.value })} />
          </div>
        </>
      )}
    </>
  );
}

export function Analytics() {
  const { t, language } = useI18n();
  const [range, setRange] = useState<Range>({ interval: '24h' as Interval });
  const [includeBots, setIncludeBots] = useState(false);
  const [collectionId, setCollectionId] = useState('');
  const [linkId, setLinkId] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const filters: Filters = useMemo(
    () => ({ range, includeBots, linkId: linkId || undefined, partnerId: partnerId || undefined, collectionId: collectionId || undefined }),
    [range, includeBots, linkId, partnerId, collectionId],
  );
  const granularity = granularityFor(range);

  const totals = useSummary<Totals>('count', filters);
  const series = useSummary<Row[]>('timeseries', filters, { granularity });
  const firstFigures = Boolean(totals.data && series.data);
  const top = useSummary<Row[]>('top_links', filters, { take: 10 }, !firstFigures);
  const collections = useCollections();
  const partners = useQuery({
    queryKey: ['partners'],
    queryFn: async () => (await call<{ id: string; name: string }[]>('GET', '/api/partners?take=1000')).body,
  });
  // the link filter offers the chosen collection's links, or else the range's top links
  const collectionLinks = useQuery({
    queryKey: ['links', 'collection', collectionId],
    queryFn: async () => (await call<LinkItem[]>('GET', `/api/links?${query({ collectionId, take: 200 })}`)).body,
    enabled: collectionId !== '',
  });
  const topIds = useMemo(() => (top.data ?? []).map((r) => String(r.linkId)), [top.data]);
  const topLinks = useLinksById(linkId ? [...topIds, linkId] : topIds);
  const linkChoices = useMemo(() => {
    const links = collectionId ? (collectionLinks.data ?? []) : topIds.flatMap((id) => topLinks.data?.get(id) ?? []);
    const chosen = linkId ? topLinks.data?.get(linkId) : undefined;
    return chosen && !links.some((l) => l.id === chosen.id) ? [chosen, ...links] : links;
  }, [collectionId, collectionLinks.data, topIds, topLinks.data, linkId]);

  // the same array while the series is: a new one redraws the whole chart (tens of milliseconds),
  // and this page renders again as each of its other reports and filters answers
  const points = useMemo(() => (series.data ?? []).map((r) => ({ start: String(r.start), clicks: r.clicks })), [series.data]);
  const [chartDrawn, setChartDrawn] = useState(false);
  const drawn = useCallback(() => setChartDrawn(true), []);
  const rendered = firstFigures && (chartDrawn || points.length === 0);
  useEffect(() => {
    if (rendered) markRendered();
  }, [rendered]);
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
      <div className="toolbar" role="group" aria-label={t('analytics.filters')}>
        <RangePicker range={range} onChange={setRange} />
        <FilterSelect
          id="analytics-collection"
          label={t('analytics.collection')}
          all={t('analytics.allCollections')}
          hint={t('analytics.collectionHint')}
          value={collectionId}
          options={(collections.data ?? []).map((c) => [c.id, c.name])}
          onChange={(id) => {
            setCollectionId(id);
            setLinkId('');
          }}
        />
        <FilterSelect
          id="analytics-link"
          label={t('analytics.link')}
          all={t('analytics.allLinks')}
          value={linkId}
          options={linkChoices.map((l) => [l.id, linkLabel(l) ?? l.id])}
          onChange={setLinkId}
        />
        <FilterSelect
          id="analytics-partner"
          label={t('analytics.partner')}
          all={t('analytics.allPartners')}
          value={partnerId}
          options={(partners.data ?? []).map((p) => [p.id, p.name])}
          onChange={setPartnerId}
        />
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
        {/* the chart's space is kept whatever shows in it, so nothing below moves when it loads */}
        <figure className="chart">
          {points.length === 0 && series.isSuccess ? (
            <p>{t('analytics.noData')}</p>
          ) : (
            <Suspense fallback={<p>{t('app.loading')}</p>}>
              <ClicksChart points={points} language={language} granularity={granularity} label={t('analytics.clicks')} onDrawn={drawn} />
            </Suspense>
          )}
          {points.length > 0 && (
            <figcaption className="visually-hidden">
              {t('analytics.chartSummary', {
                n: formatNumber(points.reduce((sum, p) => sum + p.clicks, 0), language),
                from: formatBucket(points[0].start, language, granularity),
                to: formatBucket(points[points.length - 1].start, language, granularity),
              })}
            </figcaption>
          )}
        </figure>
      </section>
      <div className="grid">
        <LiveClicks linkId={filters.linkId} partnerId={filters.partnerId} collectionId={filters.collectionId} includeBots={includeBots} start={rendered} />
        <Funnel totals={totals.data} />
        <TopLinks rows={top.data} error={top.error} links={topLinks.data} />
        {BREAKDOWNS.map((b) => (
          <Breakdown key={b.groupBy} groupBy={b.groupBy} field={b.field} filters={filters} wait={!firstFigures} />
        ))}
      </div>
    </main>
  );
}
