import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { formText } from '../lib/format';

/** /app/invitations/accept#token=…: the gateway's invitation link (the token never reaches a server log). */
export function AcceptInvitation({ onAccepted }: { onAccepted: () => void }) {
  const { t } = useI18n();
  const { acceptInvitation } = useSession();
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!token) return;
    setError(null);
    try {
      await acceptInvitation(token, formText(new FormData(e.currentTarget), 'password'));
      onAccepted();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main id="main" className="sign-in">
      <h1>{t('invitation.title')}</h1>
      {token ? (
        <form onSubmit={(e) => void submit(e)}>
          <Field label={t('invitation.password')} name="password" type="password" autoComplete="new-password" required autoFocus />
          <ErrorNote error={error} />
          <button type="submit" className="primary">
            {t('invitation.submit')}
          </button>
        </form>
      ) : (
        <p role="alert">{t('invitation.missing')}</p>
      )}
    </main>
  );
}
