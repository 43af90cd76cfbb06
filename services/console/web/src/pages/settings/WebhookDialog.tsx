import { useId, useState } from 'react';
import { useCollections } from '../../collections';
import { useI18n } from '../../i18n';
import { call } from '../../lib/client';
import { FormButtons } from '../../components/Buttons';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { useSaveForm } from '../../components/use-save-form';
import { EventChoices, type Webhook, type WebhookEvent } from './webhook-parts';

/** Link ids typed one a line (or separated by commas or spaces), blanks dropped. */
export const linkIdsOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Edit a subscription: name, receiver, events, the collection and link filters (none: every
 * link) and whether it is active (re-activating clears why it was disabled). Only the fields
 * shown are sent; the API's problems appear at their fields.
 */
export function WebhookDialog({ webhook, onClose, onSaved }: { webhook: Webhook; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const collections = useCollections();
  const [name, setName] = useState(webhook.name);
  const [url, setUrl] = useState(webhook.url);
  const [events, setEvents] = useState<WebhookEvent[]>(webhook.events);
  const [collectionIds, setCollectionIds] = useState(webhook.collectionIds);
  const [linkIds, setLinkIds] = useState(webhook.linkIds.join('\n'));
  const [active, setActive] = useState(webhook.active);
  const linksId = useId();
  const { save, errors, submit } = useSaveForm(
    () => call('PUT', '/api/webhooks', [{ id: webhook.id, name: name.trim(), url: url.trim(), events, collectionIds, linkIds: linkIdsOf(linkIds), active }]),
    'webhooks',
    onSaved,
  );
  // a bad link id is reported at its position (linkIds.2): shown under the list
  const linkError = Object.entries(errors)
    .filter(([field]) => field === 'linkIds' || field.startsWith('linkIds.'))
    .map(([, message]) => message)
    .join('; ');
  return (
    <Dialog title={t('webhookEdit.title', { name: webhook.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label={t('webhooks.name')} value={name} onChange={(e) => setName(e.target.value)} required maxLength={255} error={errors.name} />
        <Field label={t('webhooks.url')} type="url" dir="ltr" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2048} error={errors.url} />
        <EventChoices value={events} onChange={setEvents} error={errors.events} />
        <fieldset className="inline-choices wrap">
          <legend>{t('webhookEdit.collections')}</legend>
          {(collections.data ?? []).map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={collectionIds.includes(c.id)}
                onChange={(e) => setCollectionIds(e.target.checked ? [...collectionIds, c.id] : collectionIds.filter((id) => id !== c.id))}
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
        {errors.collectionIds && (
          <small className="field-error" role="alert">
            {errors.collectionIds}
          </small>
        )}
        <div className="field">
          <label htmlFor={linksId}>{t('webhookEdit.linkIds')}</label>
          <textarea
            id={linksId}
            dir="ltr"
            rows={3}
            className="mono"
            value={linkIds}
            onChange={(e) => setLinkIds(e.target.value)}
            aria-invalid={linkError ? true : undefined}
            aria-describedby={`${linksId}-hint${linkError ? ` ${linksId}-error` : ''}`}
          />
          <small id={`${linksId}-hint`} className="hint">
            {t('webhookEdit.filtersHint')}
          </small>
          {linkError && (
            <small id={`${linksId}-error`} className="field-error" role="alert">
              {linkError}
            </small>
          )}
        </div>
        <div className="check">
          <input id={`${linksId}-active`} type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          <label htmlFor={`${linksId}-active`}>{t('webhookEdit.active')}</label>
        </div>
        <FormButtons error={save.error} pending={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
