import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { ApiError, fieldErrors } from '../lib/api-error';
import { call } from '../lib/client';
import { formatDateTime, formText } from '../lib/format';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Read-only keys get every *Read scope the gateway knows of. */
const READ_SCOPES = ['linksRead', 'collectionsRead', 'tagsRead', 'analyticsRead', 'customersRead', 'partnersRead'];

export function Settings({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [access, setAccess] = useState<'all' | 'read'>('all');
  const [created, setCreated] = useState<string | null>(null);
  const keys = useQuery({ queryKey: ['keys'], queryFn: async () => (await call<ApiKey[]>('GET', '/api/keys')).body });
  const create = useMutation({
    mutationFn: async (name: string) =>
      (await call<ApiKey & { key: string }>('POST', '/api/keys', access === 'all' ? { name, allScopes: true } : { name, scopes: READ_SCOPES })).body,
    onSuccess: async (key) => {
      setCreated(key.key);
      await queryClient.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE', `/api/keys?id=${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setCreated(null);
    create.mutate(formText(new FormData(e.currentTarget), 'name'));
  };
  const errors = create.error instanceof ApiError ? fieldErrors(create.error, language) : {};
  const forbidden = keys.error instanceof ApiError && keys.error.status === 403;

  return (
    <main id="main">
      <div className="page-head">
        <h1>{t('settings.title')}</h1>
      </div>
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">{t('settings.keys')}</h2>
        {forbidden ? (
          <p>{t('settings.notAllowed')}</p>
        ) : (
          <>
            <form onSubmit={submit} className="toolbar">
              <Field label={t('settings.keyName')} name="name" required maxLength={200} error={errors.name} />
              <fieldset className="inline-choices">
                <legend>{t('settings.scopes')}</legend>
                <label>
                  <input type="radio" name="access" checked={access === 'all'} onChange={() => setAccess('all')} /> {t('settings.allScopes')}
                </label>
                <label>
                  <input type="radio" name="access" checked={access === 'read'} onChange={() => setAccess('read')} /> {t('settings.readOnly')}
                </label>
              </fieldset>
              <button type="submit" className="primary" disabled={create.isPending}>
                {t('settings.create')}
              </button>
            </form>
            <ErrorNote error={create.error ?? revoke.error ?? keys.error} />
            {created && (
              <div className="secret" role="status">
                <p>{t('settings.createdOnce')}</p>
                <code dir="ltr" data-testid="new-key">
                  {created}
                </code>
                <button
                  type="button"
                  onClick={() => void navigator.clipboard.writeText(created).then(() => announce(t('settings.copyKey')), () => announce(created))}
                >
                  {t('settings.copyKey')}
                </button>
              </div>
            )}
            {keys.data?.length === 0 && <p>{t('settings.noKeys')}</p>}
            {keys.data && keys.data.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('settings.keyName')}</th>
                    <th scope="col">{t('settings.prefix')}</th>
                    <th scope="col">{t('settings.lastUsed')}</th>
                    <th scope="col">{t('settings.status')}</th>
                    <th scope="col">{t('links.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {keys.data.map((key) => (
                    <tr key={key.id}>
                      <td>{key.name}</td>
                      <td>
                        <code dir="ltr">{key.prefix}</code>
                      </td>
                      <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, language) : t('settings.never')}</td>
                      <td>{key.revokedAt ? t('settings.revoked') : t('settings.active')}</td>
                      <td>
                        {!key.revokedAt && (
                          <button
                            type="button"
                            className="danger"
                            aria-label={`${t('settings.revoke')}: ${key.name}`}
                            onClick={() => confirm(t('settings.confirmRevoke', { name: key.name })) && revoke.mutate(key.id)}
                          >
                            {t('settings.revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
    </main>
  );
}
