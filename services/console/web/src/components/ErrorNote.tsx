import { ApiError } from '../lib/api-error';
import { useI18n } from '../i18n';

/** An error in the user's language: the API's own error.en/error.ar when it gave one. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, language } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error instanceof ApiError ? error.in(language) : t('common.error')}
    </p>
  );
}
