import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Language } from './lib/api-error';
import { resources } from './lib/resources';

const STORAGE_KEY = 'hop.console.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ar') return stored;
  return navigator.language.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

/** The document follows the language: lang and dir (right-to-left in Arabic) on <html>. */
function applyToDocument(language: Language) {
  document.documentElement.lang = language;
  document.documentElement.dir = language === 'ar' ? 'rtl' : 'ltr';
}

export function setupI18n() {
  const language = initialLanguage();
  applyToDocument(language);
  void i18next
    .use(initReactI18next)
    // resources are bundled, so init completes synchronously; the promise carries nothing to wait for
    .init({ resources, lng: language, fallbackLng: 'en', interpolation: { escapeValue: false } })
    .catch((err: unknown) => console.error('i18n init failed', err));
}

export function changeLanguage(language: Language) {
  localStorage.setItem(STORAGE_KEY, language);
  applyToDocument(language);
  void i18next.changeLanguage(language).catch((err: unknown) => console.error('language change failed', err));
}

/** The translation function and the current language, typed to the console's two languages. */
export function useI18n() {
  const { t, i18n } = useTranslation();
  const language: Language = i18n.language === 'ar' ? 'ar' : 'en';
  return { t, language };
}
