import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { call } from '../../lib/client';
import { formatDateTime, formatNumber } from '../../lib/format';
import { rateLimitOf, usedPercent } from '../../lib/rate-limit';
import { ErrorNote } from '../../components/ErrorNote';

/**
 * The workspace's usage as the API exposes it: its links (X-Total-Count) and its request budget
 * for the current minute (X-RateLimit-* of the same answer). The plan itself is set by the
 * operator and has no API of its own.
 */
export function Usage() {
  const { t, language } = useI18n();
  const usage = useQuery({
    queryKey: ['usage'],
    queryFn: async () => {
      const reply = await call<unknown[]>('GET', '/api/links?take=1');
      return { links: reply.total, rate: rateLimitOf(reply.headers) };
    },
    staleTime: 0,
  });
  const rate = usage.data?.rate;
  return (
    <section className="card" aria-labelledby="usage-title" id="usage">
      <h2 id="usage-title">{t('team.usage')}</h2>
      <ErrorNote error={usage.error} />
      {usage.data && (
        <dl className="usage">
          <div>
            <dt>{t('team.links')}</dt>
            <dd data-testid="usage-links">{formatNumber(usage.data.links, language)}</dd>
          </div>
          {rate && (
            <>
              <div>
                <dt>{t('team.rateLimit')}</dt>
                <dd>{t('team.perMinute', { n: formatNumber(rate.limit, language) })}</dd>
              </div>
              <div>
                <dt>{t('team.remaining')}</dt>
                <dd>
                  {formatNumber(rate.remaining, language)}
                  <meter min={0} max={100} value={usedPercent(rate)} aria-label={t('team.used', { n: formatNumber(usedPercent(rate), language) })} />
                </dd>
              </div>
              <div>
                <dt>{t('team.resets')}</dt>
                <dd>{formatDateTime(rate.resetAt.toISOString(), language)}</dd>
              </div>
            </>
          )}
        </dl>
      )}
      <p className="hint">{t('team.planNote')}</p>
      <button type="button" onClick={() => void usage.refetch()}>
        {t('team.refreshUsage')}
      </button>
    </section>
  );
}
