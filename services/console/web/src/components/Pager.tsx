import { useI18n } from '../i18n';
import { formatNumber, pageCount } from '../lib/format';

/** Previous / "page n of m" / next, for a list paged by X-Total-Count. */
export function Pager({ page, total, pageSize, onPage }: { page: number; total: number; pageSize: number; onPage: (page: number) => void }) {
  const { t, language } = useI18n();
  const pages = pageCount(total, pageSize);
  const label = t('links.page', { page: formatNumber(page + 1, language), pages: formatNumber(pages, language) });
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page === 0}>
        {t('links.previous')}
      </button>
      <span>{label}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page + 1 >= pages}>
        {t('links.next')}
      </button>
    </nav>
  );
}
