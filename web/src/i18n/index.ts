import dayjs from 'dayjs';
import 'dayjs/locale/ru';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ru } from './ru';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'ru';
export const LANGUAGE_STORAGE_KEY = 'voronka.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

/** Keeps everything that depends on the UI language in step: <html lang>, dayjs, localStorage. */
function applyLanguage(lng: string) {
  const language = isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
  dayjs.locale(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return language;
}

i18n.on('languageChanged', applyLanguage);

void i18n.use(initReactI18next).init({
  resources: { ru: { translation: ru }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
applyLanguage(i18n.language);

/** The current UI language (always one of LANGUAGES). */
export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
}

/** Switches the UI language and remembers the choice in localStorage 'voronka.lang'. */
export async function setLanguage(language: Language) {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // private mode: the choice lives until reload
  }
  await i18n.changeLanguage(language);
}

/**
 * Lets a feature module ship its own texts next to its code:
 * `addTranslations({ clients: {...} }, { clients: {...} })` merges them into the default namespace.
 */
export function addTranslations(ruTexts: Record<string, unknown>, enTexts: Record<string, unknown>) {
  i18n.addResourceBundle('ru', 'translation', ruTexts, true, false);
  i18n.addResourceBundle('en', 'translation', enTexts, true, false);
}

export default i18n;
