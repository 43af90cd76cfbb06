import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { call } from '../../lib/client';
import { formatDateTime } from '../../lib/format';
import { DangerButton } from '../../components/Buttons';
import { ErrorNote } from '../../components/ErrorNote';
import { ROLES, Section, type Role } from './Section';

interface Member {
  userId: string;
  email: string;
  role: Role;
  joinedAt: string;
}

/** The workspace's members: change a role, remove someone (not oneself: leaving is another action). */
export function Members({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const members = useQuery({ queryKey: ['members'], queryFn: async () => (await call<Member[]>('GET', '/api/members')).body });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['members'] });
  const changeRole = useMutation({
    mutationFn: (change: { userId: string; role: Role }) => call('PUT', '/api/members', change),
    onSuccess: async () => {
      announce(t('team.roleChanged'));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) => call('DELETE', `/api/members?userId=${encodeURIComponent(userId)}`),
    onSuccess: async () => {
      announce(t('team.removed'));
      await refresh();
    },
  });
  return (
    <Section id="members" title={t('team.members')} error={members.error} notAllowed={t('team.notAllowed')}>
      <ErrorNote error={members.error ?? changeRole.error ?? remove.error} />
      {members.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('team.email')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('team.joined')}</th>
              <th scope="col">{t('links.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((m) => {
              const self = m.userId === me?.user.id;
              return (
                <tr key={m.userId}>
                  <td>
                    <bdi>{m.email}</bdi>
                  </td>
                  <td>
                    <select
                      aria-label={t('team.roleOf', { email: m.email })}
                      value={m.role}
                      disabled={self || changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as Role })}
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {t(`roles.${role}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDateTime(m.joinedAt, language)}</td>
                  <td>
                    {!self && (
                      <DangerButton label={t('team.remove')} target={m.email} question={t('team.confirmRemove', { email: m.email })} onConfirm={() => remove.mutate(m.userId)} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}
