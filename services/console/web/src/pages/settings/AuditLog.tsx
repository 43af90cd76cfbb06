import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { call, query } from '../../lib/client';
import { formatDateTime } from '../../lib/format';
import { ErrorNote } from '../../components/ErrorNote';
import { Pager } from '../../components/Pager';
import { Section } from './Section';

interface AuditEntry {
  id: string;
  occurredAt: string;
  actor: { type: 'user' | 'key' | 'operator' | 'system'; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  ip: string | null;
}

const PAGE_SIZE = 25;

/** Who did what in the workspace, newest first, paged by X-Total-Count. */
export function AuditLog() {
  const { t, language } = useI18n();
  const [page, setPage] = useState(0);
  const log = useQuery({
    queryKey: ['audit-log', page],
    queryFn: () => call<AuditEntry[]>('GET', `/api/audit-log?${query({ take: PAGE_SIZE, skip: page * PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const entries = log.data?.body ?? [];
  return (
    <Section id="audit" title={t('team.audit')} error={log.error} notAllowed={t('team.notAllowed')}>
      <button type="button" onClick={() => void log.refetch()}>
        {t('team.refreshAudit')}
      </button>
      <ErrorNote error={log.error} />
      {log.isSuccess && entries.length === 0 && <p>{t('team.noAudit')}</p>}
      {entries.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('team.when')}</th>
              <th scope="col">{t('team.actor')}</th>
              <th scope="col">{t('team.action')}</th>
              <th scope="col">{t('team.target')}</th>
              <th scope="col">{t('team.ip')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.occurredAt, language)}</td>
                <td>
                  {t(`team.actors.${e.actor.type}`)} <bdi>{e.actor.label ?? ''}</bdi>
                </td>
                <td>
                  <code dir="ltr">{e.action}</code>
                </td>
                <td>
                  <bdi className="mono truncate">{e.target ? `${e.target.type} ${e.target.id ?? ''}` : ''}</bdi>
                </td>
                <td>
                  <bdi className="mono">{e.ip ?? ''}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} total={log.data?.total ?? 0} pageSize={PAGE_SIZE} onPage={setPage} />
    </Section>
  );
}
