import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { ApiError, fieldErrors } from '../../lib/api-error';
import { call } from '../../lib/client';
import { formatDateTime, formatNumber, formText } from '../../lib/format';
import { DangerButton, SecretNote } from '../../components/Buttons';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { Section } from './Section';

export const WEBHOOK_EVENTS = ['link.created', 'link.updated', 'link.deleted', 'link.clicked', 'lead.created', 'sale.created'] as const;
type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

interface Webhook {
  id: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  disabledReason: string | null;
}

interface Delivery {
  id: string;
  eventType: WebhookEvent;
  state: 'pending' | 'delivered' | 'failed';
  attempt: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t, language } = useI18n();
  const deliveries = useQuery({
    queryKey: ['webhooks', webhook.id, 'deliveries'],
    queryFn: async () => (await call<Delivery[]>('GET', `/api/webhooks/${encodeURIComponent(webhook.id)}/deliveries?take=20`)).body,
  });
  const titleId = `deliveries-${webhook.id}`;
  return (
    <div className="deliveries">
      <h3 id={titleId}>{t('webhooks.deliveriesOf', { name: webhook.name })}</h3>
      <ErrorNote error={deliveries.error} />
      {deliveries.data?.length === 0 && <p>{t('webhooks.noDeliveries')}</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <table aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.created')}</th>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.state')}</th>
              <th scope="col">{t('webhooks.attempts')}</th>
              <th scope="col">{t('webhooks.response')}</th>
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
                <td>
                  <bdi>{d.responseStatus ?? d.error ?? ''}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Webhook subscriptions: create (the signing secret is shown once), delete, and each one's deliveries. */
export function Webhooks({ announce }: { announce: (text: string) => void }) {
  const { t, language } = useI18n();
  const queryClient = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [events, setEvents] = useState<WebhookEvent[]>(['link.clicked']);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const webhooks = useQuery({ queryKey: ['webhooks'], queryFn: async () => (await call<Webhook[]>('GET', '/api/webhooks?take=100')).body });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const create = useMutation({
    mutationFn: async (input: { name: string; url: string }) => (await call<(Webhook & { secret: string })[]>('POST', '/api/webhooks', [{ ...input, events }])).body[0],
    onSuccess: async (created) => {
      form.current?.reset();
      setSecret(created.secret);
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
        <fieldset className="inline-choices wrap">
          <legend>{t('webhooks.events')}</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event}>
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) => setEvents(e.target.checked ? [...events, event] : events.filter((x) => x !== event))}
              />{' '}
              <code dir="ltr">{event}</code>
            </label>
          ))}
        </fieldset>
        {errors.events && (
          <small className="field-error" role="alert">
            {errors.events}
          </small>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('webhooks.create')}
        </button>
      </form>
      <ErrorNote error={create.error ?? remove.error ?? webhooks.error} />
      {secret && <SecretNote note={t('webhooks.secretOnce')} value={secret} copyLabel={t('webhooks.copySecret')} testId="webhook-secret" announce={announce} />}
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
      {shown && <Deliveries webhook={shown} />}
    </Section>
  );
}
