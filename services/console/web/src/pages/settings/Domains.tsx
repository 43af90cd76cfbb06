import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ApiError, fieldErrors } from '../../lib/api-error';
import { call } from '../../lib/client';
import { formatDateTime, formText } from '../../lib/format';
import { DangerButton } from '../../components/Buttons';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { DomainDialog, type Domain } from './DomainDialog';
import { Section } from './Section';

/** Branded short domains: add one, publish its TXT record, verify it, edit its redirects, delete it. */
export function Domains({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [primary, setPrimary] = useState(false);
  const [editing, setEditing] = useState<Domain | null>(null);
  const domains = useQuery({ queryKey: ['domains', 'settings'], queryFn: async () => (await call<Domain[]>('GET', '/api/domains?take=1000')).body });
  // the links filters and the link dialog list the domains too
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['domains'] });
  const add = useMutation({
    mutationFn: (name: string) => call('POST', '/api/domains', [{ name, primary }]),
    onSuccess: async () => {
      form.current?.reset();
      announce(t('domains.added'));
      await refresh();
    },
  });
  const verify = useMutation({
    mutationFn: async (id: string) => (await call<Domain>('POST', `/api/domains/${encodeURIComponent(id)}/verify`)).body,
    onSuccess: async (domain) => {
      announce(t(`domains.status.${domain.status}`));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => call('DELETE', '/api/domains', [id]),
    onSuccess: async () => {
      announce(t('domains.deleted'));
      await refresh();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    add.mutate(formText(new FormData(e.currentTarget), 'name').trim());
  };
  const errors = add.error instanceof ApiError ? fieldErrors(add.error, language) : {};
  return (
    <Section id="domains" title={t('domains.title')} error={domains.error} notAllowed={t('team.notAllowed')}>
      <form ref={form} onSubmit={submit} className="toolbar">
        <Field label={t('domains.name')} name="name" dir="ltr" required maxLength={300} hint={t('domains.nameHint')} error={errors.name ?? errors['']} />
        <div className="check">
          <input id="domain-primary" type="checkbox" checked={primary} onChange={(e) => setPrimary(e.target.checked)} />
          <label htmlFor="domain-primary">{t('domains.primary')}</label>
        </div>
        <button type="submit" className="primary" disabled={add.isPending}>
          {t('domains.add')}
        </button>
      </form>
      <ErrorNote error={add.error ?? verify.error ?? remove.error ?? domains.error} />
      {domains.data?.length === 0 && <p>{t('domains.empty')}</p>}
      {domains.data && domains.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('domains.name')}</th>
              <th scope="col">{t('domains.statusLabel')}</th>
              <th scope="col">{t('domains.record')}</th>
              <th scope="col">{t('domains.checked')}</th>
              <th scope="col">{t('links.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {domains.data.map((d) => (
              <tr key={d.id}>
                <td>
                  <bdi className="mono">{d.name}</bdi> {d.primary && <span className="badge">{t('domains.primaryBadge')}</span>}
                </td>
                <td>{t(`domains.status.${d.status}`)}</td>
                <td>
                  <code dir="ltr" className="record">
                    {d.verificationRecord.type} {d.verificationRecord.name} {d.verificationRecord.value}
                  </code>
                </td>
                <td>{d.lastCheckedAt ? formatDateTime(d.lastCheckedAt, language) : t('settings.never')}</td>
                <td>
                  <span className="row-actions">
                    {d.status !== 'verified' && (
                      <button type="button" aria-label={`${t('domains.verify')}: ${d.name}`} disabled={verify.isPending} onClick={() => verify.mutate(d.id)}>
                        {t('domains.verify')}
                      </button>
                    )}
                    <button type="button" aria-label={`${t('links.edit')}: ${d.name}`} onClick={() => setEditing(d)}>
                      {t('links.edit')}
                    </button>
                    <DangerButton label={t('links.delete')} target={d.name} question={t('domains.confirmDelete', { name: d.name })} onConfirm={() => remove.mutate(d.id)} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <DomainDialog
          domain={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            announce(t('domainEdit.saved'));
          }}
        />
      )}
    </Section>
  );
}
