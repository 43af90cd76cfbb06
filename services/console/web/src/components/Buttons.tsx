import { useI18n } from '../i18n';
import { ErrorNote } from './ErrorNote';

/** A destructive row action: named after its target for screen readers, and asked for confirmation first. */
export function DangerButton({ label, target, question, onConfirm, disabled }: { label: string; target: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="danger" aria-label={`${label}: ${target}`} disabled={disabled} onClick={() => confirm(question) && onConfirm()}>
      {label}
    </button>
  );
}

/** The end of a dialog's form: the API's error (in the user's language), cancel and save. */
export function FormButtons({ error, pending, onCancel, submitLabel }: { error: unknown; pending: boolean; onCancel: () => void; submitLabel?: string }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorNote error={error} />
      <div className="buttons">
        <button type="button" onClick={onCancel}>
          {t('linkForm.cancel')}
        </button>
        <button type="submit" className="primary" disabled={pending}>
          {submitLabel ?? t('linkForm.save')}
        </button>
      </div>
    </>
  );
}

/** A secret the API shows once (key, invitation link, signing secret): the note, the value and a copy button. */
export function SecretNote({ note, value, copyLabel, testId, announce }: { note: string; value: string; copyLabel: string; testId: string; announce: (text: string) => void }) {
  return (
    <div className="secret" role="status">
      <p>{note}</p>
      <code dir="ltr" data-testid={testId}>
        {value}
      </code>
      {/* without clipboard permission the value is still announced, to be copied by hand */}
      <button type="button" onClick={() => void navigator.clipboard.writeText(value).then(() => announce(copyLabel), () => announce(value))}>
        {copyLabel}
      </button>
    </div>
  );
}
