import { useI18n } from '../../i18n';

export const WEBHOOK_EVENTS = ['link.created', 'link.updated', 'link.deleted', 'link.clicked', 'lead.created', 'sale.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A subscription as GET /api/webhooks shows it (never its secret). */
export interface Webhook {
  id: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  collectionIds: string[];
  linkIds: string[];
  active: boolean;
  disabledReason: string | null;
}

/** The events a subscription receives, one checkbox each (the create form and the edit dialog). */
export function EventChoices({ value, onChange, error }: { value: WebhookEvent[]; onChange: (events: WebhookEvent[]) => void; error?: string }) {
  const { t } = useI18n();
  return (
    <>
      <fieldset className="inline-choices wrap">
        <legend>{t('webhooks.events')}</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event}>
            <input type="checkbox" checked={value.includes(event)} onChange={(e) => onChange(e.target.checked ? [...value, event] : value.filter((x) => x !== event))} />{' '}
            <code dir="ltr">{event}</code>
          </label>
        ))}
      </fieldset>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </>
  );
}
