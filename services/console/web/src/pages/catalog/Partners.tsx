import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { CrudPage } from '../../components/CrudPage';

interface Partner {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
}

export function Partners({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  return (
    <CrudPage<Partner>
      resource="partners"
      announce={announce}
      nameOf={(p) => p.name}
      fields={[
        { name: 'name', label: t('catalog.name'), required: true, maxLength: 255 },
        { name: 'email', label: t('catalog.email'), type: 'email', maxLength: 320 },
        { name: 'phone', label: t('catalog.phone'), type: 'tel', maxLength: 64 },
      ]}
      columns={[
        { header: t('catalog.name'), cell: (p) => p.name },
        { header: t('catalog.email'), cell: (p) => <bdi>{p.email ?? ''}</bdi> },
        { header: t('catalog.phone'), cell: (p) => <bdi>{p.phone ?? ''}</bdi> },
        { header: t('catalog.createdAt'), cell: (p) => formatDateTime(p.createdAt, language) },
      ]}
    />
  );
}
