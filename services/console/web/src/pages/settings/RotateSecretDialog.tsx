import { useState } from 'react';
import { useI18n } from '../../i18n';
import { call } from '../../lib/client';
import { FormButtons } from '../../components/Buttons';
import { Dialog } from '../../components/Dialog';
import { SelectField } from '../../components/SelectField';
import { useSaveForm } from '../../components/use-save-form';
import type { Webhook } from './webhook-parts';

/** How long the old secret may keep signing (the API's `graceSeconds`, at most 7 days); 24 hours unless chosen. */
const GRACE_PERIODS = [
  ['0', 'graceNone'],
  ['3600', 'grace1h'],
  ['86400', 'grace24h'],
  ['604800', 'grace7d'],
] as const;

export interface RotatedSecret {
  secret: string;
  previousSecretExpiresAt: string | null;
}

/**
 * A new signing secret for a subscription, with the choice of how long the old one keeps signing
 * beside it (deliveries carry both signatures meanwhile, so a receiver moves over without failing
 * any; none when the old secret leaked).
 */
export function RotateSecretDialog({ webhook, onClose, onRotated }: { webhook: Webhook; onClose: () => void; onRotated: (rotated: RotatedSecret) => void }) {
  const { t } = useI18n();
  const [grace, setGrace] = useState('86400');
  const { save, errors, submit } = useSaveForm(
    async () => (await call<RotatedSecret>('POST', `/api/webhooks/${encodeURIComponent(webhook.id)}/rotate-secret`, { graceSeconds: Number(grace) })).body,
    'webhooks',
    onRotated,
  );
  return (
    <Dialog title={t('webhookEdit.rotateTitle', { name: webhook.name })} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <SelectField
          label={t('webhookEdit.grace')}
          value={grace}
          onChange={(e) => setGrace(e.target.value)}
          choices={GRACE_PERIODS.map(([value, label]) => ({ value, label: t(`webhookEdit.${label}`) }))}
          hint={t('webhookEdit.graceHint')}
          error={errors.graceSeconds}
        />
        <FormButtons error={save.error} pending={save.isPending} onCancel={onClose} submitLabel={t('webhookEdit.rotate')} />
      </form>
    </Dialog>
  );
}
