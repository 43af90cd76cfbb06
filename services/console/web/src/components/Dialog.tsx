import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n';

/**
 * A modal on the native <dialog>: showModal() makes the rest of the page inert and keeps Tab
 * inside, Escape closes it, focus goes to the first field on open and back to the opener on close.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useI18n();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    dialog?.querySelector<HTMLElement>('input, select, textarea, button:not([data-close])')?.focus();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" data-close className="icon" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
