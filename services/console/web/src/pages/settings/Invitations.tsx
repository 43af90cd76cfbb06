import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ApiError, fieldErrors } from '../../lib/api-error';
import { call } from '../../lib/client';
import { formatDateTime, formText } from '../../lib/format';
import { DangerButton, SecretNote } from '../../components/Buttons';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/SelectField';
import { ROLES, Section, type Role } from './Section';

interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

/** Pending invitations: invite (the single-use link is shown once, to send by hand) and revoke. */
export function Invitations({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [role, setRole] = useState<Role>('member');
  const [link, setLink] = useState<string | null>(null);
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: async () => (await call<Invitation[]>('GET', '/api/invitations')).body });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invitations'] });
  const invite = useMutation({
    mutationFn: async (email: string) => (await call<Invitation & { url: string }>('POST', '/api/invitations', { email, role })).body,
    onSuccess: async (created) => {
      form.current?.reset();
      setLink(created.url);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE', `/api/invitations?id=${encodeURIComponent(id)}`),
    onSuccess: async () => {
      announce(t('team.invitationRevoked'));
      await refresh();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setLink(null);
    invite.mutate(formText(new FormData(e.currentTarget), 'email').trim());
  };
  const errors = invite.error instanceof ApiError ? fieldErrors(invite.error, language) : {};
  return (
    <Section id="invitations" title={t('team.invitations')} error={invitations.error} notAllowed={t('team.notAllowed')}>
      <form ref={form} onSubmit={submit} className="toolbar">
        <Field label={t('team.inviteEmail')} name="email" type="email" dir="ltr" required maxLength={320} error={errors.email} />
        <SelectField
          label={t('team.role')}
          value={role}
          error={errors.role}
          choices={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          onChange={(e) => setRole(e.target.value as Role)}
        />
        <button type="submit" className="primary" disabled={invite.isPending}>
          {t('team.invite')}
        </button>
      </form>
      <ErrorNote error={invite.error ?? revoke.error ?? invitations.error} />
      {link && <SecretNote note={t('team.invitationOnce')} value={link} copyLabel={t('team.copyLink')} testId="invitation-link" announce={announce} />}
      {invitations.data?.length === 0 && <p>{t('team.noInvitations')}</p>}
      {invitations.data && invitations.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('team.email')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('team.expires')}</th>
              <th scope="col">{t('links.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((i) => (
              <tr key={i.id}>
                <td>
                  <bdi>{i.email}</bdi>
                </td>
                <td>{t(`roles.${i.role}`)}</td>
                <td>{formatDateTime(i.expiresAt, language)}</td>
                <td>
                  <DangerButton
                    label={t('team.revokeInvitation')}
                    target={i.email}
                    question={t('team.confirmRevokeInvitation', { email: i.email })}
                    onConfirm={() => revoke.mutate(i.id)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
