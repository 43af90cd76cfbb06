import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ApiError, fieldErrors } from '../../lib/api-error';
import { call } from '../../lib/client';
import { formatDateTime, formatNumber, formText } from '../../lib/format';
import { DangerButton, SecretNote } from '../../components/Buttons';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { SelectField } from '../../components/SelectField';
import { Section } from './Section';
import { EventChoices, WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from './webhook-parts';
import { WebhookDialog } from './WebhookDialog';
import { RotateSecretDialog, type RotatedSecret } from './RotateSecretDialog';

interface Delivery {
  id: string;
  eventType: WebhookEvent;
  state: 'pending' | 'delivered' | 'failed';
  attempt: number;
  durationMs: number | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: string;
}

/** A subscription's recent deliveries (refreshed while one is pending), a test send of a chosen event, and retries. */
function Deliveries({ webhook, announce }: { webhook: Webhook; announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const [testType, setTestType] = useState<WebhookEvent>('link.clicked');
  const base = `/api/webhooks/${encodeURIComponent(webhook.id)}`;
  const queryKey = ['webhooks', webhook.id, 'deliveries'];
  const deliveries = useQuery({
    queryKey,
    queryFn: async () => (await call<Delivery[]>('GET', `${base}/deliveries?take=20`)).body,
    refetchInterval: (query) => (query.state.data?.some((d) => d.state === 'pending') ? 1000 : false),
  });
  const sent = (text: string) => async () => {
    announce(text);
    await queryClient.invalidateQueries({ queryKey });
  };
  const test = useMutation({ mutationFn: () => call('POST', `${base}/test`, { type: testType }), onSuccess: sent(t('webhookEdit.testSent')) });
  const retry = useMutation({ mutationFn: (id: string) => call('POST', `${base}/deliveries/${encodeURIComponent(id)}/retry`, {}), onSuccess: sent(t('webhookEdit.retried')) });
  const titleId = `deliveries-${webhook.id}`;
  return (
    <div className="deliveries">
      <h3 id={titleId}>{t('webhooks.deliveriesOf', { name: webhook.name })}</h3>
      <div className="toolbar">
        <SelectField
          label={t('webhookEdit.testType')}
          value={testType}
          choices={WEBHOOK_EVENTS.map((event) => ({ value: event, label: event }))}
          onChange={(e) => setTestType(WEBHOOK_EVENTS.find((event) => event === e.target.value) ?? 'link.clicked')}
          dir="ltr"
        />
        <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {t('webhookEdit.sendTest')}
        </button>
      </div>
      <ErrorNote error={deliveries.error ?? test.error ?? retry.error} />
      {deliveries.data?.length === 0 && <p>{t('webhooks.noDeliveries')}</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <table aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.created')}</th>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.state')}</th>
              <th scope="col">{t('webhooks.attempts')}</th>
              <th scope="col">{t('webhookEdit.duration')}</th>
              <th scope="col">{t('webhooks.response')}</th>
              <th scope="col">{t('links.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((d) => (
              <tr key={d.id}>
                <td>{formatDateTime(d.createdAt, language)}</td>
                <td>
                  <code dir="ltr">{d.eventType}</code>
                </td>
                <td>{t(`webhooks.states.${d.state}`)}</td>
                <td>{formatNumber(d.attempt, language)}</td>
                <td>{d.durationMs === null ? '' : t('webhookEdit.ms', { n: formatNumber(d.durationMs, language) })}</td>
                <td>
                  <bdi className="truncate" title={d.responseBody ?? undefined}>
                    {[d.responseStatus, d.error ?? d.responseBody].filter((x) => x !== null && x !== '').join(' ')}
                  </bdi>
                </td>
                <td>
                  {d.state !== 'pending' && (
                    <button type="button" onClick={() => retry.mutate(d.id)} disabled={retry.isPending} aria-label={t('webhookEdit.retryOf', { event: d.eventType, when: formatDateTime(d.createdAt, language) })}>
                      {t('webhookEdit.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Webhook subscriptions: create (the signing secret is shown once), edit, rotate the secret (the new one shown once), delete, and each one's deliveries. */
export function Webhooks({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [events, setEvents] = useState<WebhookEvent[]>(['link.clicked']);
  /** The secret to show once: a new subscription's, or a rotation's with when the old one stops signing. */
  const [secret, setSecret] = useState<{ value: string; rotated?: Pick<RotatedSecret, 'previousSecretExpiresAt'> } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: async () => (await call<Webhook[]>('GET', '/api/webhooks?take=100')).body });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const create = useMutation({
    mutationFn: async (input: { name: string; url: string }) => (await call<(Webhook & { secret: string })[]>('POST', '/api/webhooks', [{ ...input, events }])).body[0],
    onSuccess: async (created) => {
      form.current?.reset();
      setSecret({ value: created.secret });
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => call('DELETE', '/api/webhooks', [id]),
    onSuccess: async () => {
      announce(t('webhooks.deleted'));
      await refresh();
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSecret(null);
    const data = new FormData(e.currentTarget);
    create.mutate({ name: formText(data, 'name').trim(), url: formText(data, 'url').trim() });
  };
  const errors = create.error instanceof ApiError ? fieldErrors(create.error, language) : {};
  const shown = webhooks.data?.find((w) => w.id === open);
  return (
    <Section id="webhooks" title={t('webhooks.title')} error={webhooks.error} notAllowed={t('team.notAllowed')}>
      <form ref={form} onSubmit={submit}>
        <div className="toolbar">
          <Field label={t('webhooks.name')} name="name" required maxLength={255} error={errors.name} />
          <Field label={t('webhooks.url')} name="url" type="url" dir="ltr" required maxLength={2048} error={errors.url} />
        </div>
        <EventChoices value={events} onChange={setEvents} error={errors.events} />
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('webhooks.create')}
        </button>
      </form>
      <ErrorNote error={create.error ?? remove.error ?? webhooks.error} />
      {secret && (
        <SecretNote
          note={
            !secret.rotated
              ? t('webhooks.secretOnce')
              : secret.rotated.previousSecretExpiresAt
                ? t('webhookEdit.rotatedUntil', { when: formatDateTime(secret.rotated.previousSecretExpiresAt, language) })
                : t('webhookEdit.rotatedNow')
          }
          value={secret.value}
          copyLabel={t('webhooks.copySecret')}
          testId="webhook-secret"
          announce={announce}
        />
      )}
      {webhooks.data?.length === 0 && <p>{t('webhooks.empty')}</p>}
      {webhooks.data && webhooks.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.name')}</th>
              <th scope="col">{t('webhooks.url')}</th>
              <th scope="col">{t('webhooks.events')}</th>
              <th scope="col">{t('settings.status')}</th>
              <th scope="col">{t('links.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.data.map((w) => (
              <tr key={w.id}>
                <td>{w.name}</td>
                <td>
                  <bdi className="mono truncate">{w.url}</bdi>
                </td>
                <td>
                  <bdi className="mono">{w.events.join(', ')}</bdi>
                </td>
                <td>{w.active ? t('settings.active') : t('webhooks.disabled', { reason: w.disabledReason ?? '' })}</td>
                <td>
                  <span className="row-actions">
                    <button type="button" aria-label={`${t('links.edit')}: ${w.name}`} onClick={() => setEditing(w)}>
                      {t('links.edit')}
                    </button>
                    <button
                      type="button"
                      aria-label={`${t('webhookEdit.rotate')}: ${w.name}`}
                      onClick={() => {
                        setSecret(null);
                        setRotating(w);
                      }}
                    >
                      {t('webhookEdit.rotate')}
                    </button>
                    <button type="button" aria-expanded={open === w.id} aria-label={`${t('webhooks.deliveries')}: ${w.name}`} onClick={() => setOpen(open === w.id ? null : w.id)}>
                      {t('webhooks.deliveries')}
                    </button>
                    <DangerButton label={t('links.delete')} target={w.name} question={t('webhooks.confirmDelete', { name: w.name })} onConfirm={() => remove.mutate(w.id)} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && <Deliveries key={shown.id} webhook={shown} announce={announce} />}
      {editing && (
        <WebhookDialog
          webhook={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            announce(t('webhookEdit.saved'));
          }}
        />
      )}
      {rotating && (
        <RotateSecretDialog
          webhook={rotating}
          onClose={() => setRotating(null)}
          onRotated={({ secret: value, previousSecretExpiresAt }) => {
            setRotating(null);
            setSecret({ value, rotated: { previousSecretExpiresAt } });
          }}
        />
      )}
    </Section>
  );
}
