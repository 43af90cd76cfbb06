import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { CrudPage } from '../../components/CrudPage';

interface Collection {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
}

export function Collections({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  return (
    <CrudPage<Collection>
      resource="collections"
      announce={announce}
      nameOf={(c) => c.name}
      fields={[
        { name: 'name', label: t('catalog.name'), required: true, maxLength: 255 },
        { name: 'description', label: t('catalog.description'), maxLength: 5000 },
      ]}
      columns={[
        { header: t('catalog.name'), cell: (c) => c.name },
        { header: t('catalog.description'), cell: (c) => <span className="truncate">{c.description ?? ''}</span> },
        { header: t('catalog.createdAt'), cell: (c) => formatDateTime(c.createdAt, language) },
      ]}
    />
  );
}
