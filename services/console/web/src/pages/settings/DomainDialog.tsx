import { useState } from 'react';
import { useI18n } from '../../i18n';
import { call } from '../../lib/client';
import { FormButtons } from '../../components/Buttons';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useSaveForm } from '../../components/use-save-form';

export interface Domain {
  id: string;
  name: string;
  status: 'pending' | 'verified' | 'failed';
  verificationRecord: { type: 'TXT'; name: string; value: string };
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  primary: boolean;
  rootRedirectUrl: string | null;
  notFoundUrl: string | null;
}

/** The domain's redirect fields and their hints' message keys. */
const REDIRECTS = [
  ['rootRedirectUrl', 'rootHint'],
  ['notFoundUrl', 'notFoundHint'],
] as const;

/**
 * Edit what the API lets change on a domain (its name cannot: a new name is a new domain): where
 * its root and unknown keys send visitors (emptied: cleared), and whether new links use it.
 */
export function DomainDialog({ domain, onClose, onSaved }: { domain: Domain; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [redirects, setRedirects] = useState({ rootRedirectUrl: domain.rootRedirectUrl ?? '', notFoundUrl: domain.notFoundUrl ?? '' });
  const [primary, setPrimary] = useState(domain.primary);
  const { save, errors, submit } = useSaveForm(
    () => call('PUT', '/api/domains', [{ id: domain.id, primary, rootRedirectUrl: redirects.rootRedirectUrl.trim() || null, notFoundUrl: redirects.notFoundUrl.trim() || null }]),
    'domains',
    onSaved,
  );
  return (
    <Dialog title={t('domainEdit.title', { name: domain.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {REDIRECTS.map(([field, hint]) => (
          <Field
            key={field}
            label={t(`domainEdit.${field}`)}
            type="url"
            dir="ltr"
            maxLength={4096}
            value={redirects[field]}
            onChange={(e) => setRedirects({ ...redirects, [field]: e.target.value })}
            hint={t(`domainEdit.${hint}`)}
            error={errors[field]}
          />
        ))}
        <div className="check">
          <input id={`domain-primary-${domain.id}`} type="checkbox" checked={primary} onChange={(e) => setPrimary(e.target.checked)} />
          <label htmlFor={`domain-primary-${domain.id}`}>{t('domains.primary')}</label>
        </div>
        {errors.primary && (
          <small className="field-error" role="alert">
            {errors.primary}
          </small>
        )}
        <FormButtons error={save.error} pending={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
