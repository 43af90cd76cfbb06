import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ApiError, fieldErrors } from '../../lib/api-error';
import { call } from '../../lib/client';
import { FormButtons } from '../../components/Buttons';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';

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

/**
 * Edit what the API lets change on a domain (its name cannot: a new name is a new domain): where
 * its root and unknown keys send visitors (emptied: cleared), and whether new links use it.
 */
export function DomainDialog({ domain, onClose, onSaved }: { domain: Domain; onClose: () => void; onSaved: () => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [rootRedirectUrl, setRoot] = useState(domain.rootRedirectUrl ?? '');
  const [notFoundUrl, setNotFound] = useState(domain.notFoundUrl ?? '');
  const [primary, setPrimary] = useState(domain.primary);
  const save = useMutation({
    mutationFn: () => call('PUT', '/api/domains', [{ id: domain.id, primary, rootRedirectUrl: rootRedirectUrl.trim() || null, notFoundUrl: notFoundUrl.trim() || null }]),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['domains'] });
      onSaved();
    },
  });
  const errors = save.error instanceof ApiError ? fieldErrors(save.error, language) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog title={t('domainEdit.title', { name: domain.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('domainEdit.rootRedirectUrl')}
          type="url"
          dir="ltr"
          maxLength={4096}
          value={rootRedirectUrl}
          onChange={(e) => setRoot(e.target.value)}
          hint={t('domainEdit.rootHint')}
          error={errors.rootRedirectUrl}
        />
        <Field
          label={t('domainEdit.notFoundUrl')}
          type="url"
          dir="ltr"
          maxLength={4096}
          value={notFoundUrl}
          onChange={(e) => setNotFound(e.target.value)}
          hint={t('domainEdit.notFoundHint')}
          error={errors.notFoundUrl}
        />
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
