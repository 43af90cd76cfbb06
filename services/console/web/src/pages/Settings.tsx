import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';
import { ApiError, fieldErrors } from '../lib/api-error';
import { call } from '../lib/client';
import { formatDateTime, formText } from '../lib/format';
import { DangerButton, SecretNote } from '../components/Buttons';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { AuditLog } from './settings/AuditLog';
import { Domains } from './settings/Domains';
import { Invitations } from './settings/Invitations';
import { Members } from './settings/Members';
import { Usage } from './settings/Usage';
import { Webhooks } from './settings/Webhooks';

/** The settings sections after the API keys, in page order (anchors of the in-page navigation). */
const SECTIONS = ['members', 'invitations', 'audit', 'usage', 'domains', 'webhooks'] as const;

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
      <nav className="in-page" aria-label={t('team.sections')}>
        <ul>
          {['keys', ...SECTIONS].map((id) => (
            <li key={id}>
              <a href={`#${id}`}>{t(`team.section.${id}`)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section className="card" aria-labelledby="keys-title" id="keys">
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
            {created && <SecretNote note={t('settings.createdOnce')} value={created} copyLabel={t('settings.copyKey')} testId="new-key" announce={announce} />}
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
                          <DangerButton
                            label={t('settings.revoke')}
                            target={key.name}
                            question={t('settings.confirmRevoke', { name: key.name })}
                            onConfirm={() => revoke.mutate(key.id)}
                          />
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
      <Members announce={announce} />
      <Invitations announce={announce} />
      <AuditLog />
      <Usage />
      <Domains announce={announce} />
      <Webhooks announce={announce} />
    </main>
  );
}
