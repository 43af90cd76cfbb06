import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { formText } from '../lib/format';

export function SignIn() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(formText(form, 'email'), formText(form, 'password'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {/* submit shows its own errors */}
      <form onSubmit={(e) => void submit(e)}>
        <Field label={t('signIn.email')} name="email" type="email" autoComplete="username" required autoFocus />
        <Field label={t('signIn.password')} name="password" type="password" autoComplete="current-password" required />
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
