/**
 * English and Swahili, switchable, the choice remembered on the device. `t(key, vars)` fills `{name}` slots.
 * English is in the first-load bundle; Swahili (3 KB) loads when chosen or when the browser prefers it.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { en, type MessageKey } from './en.js'
import { readStored, writeStored } from '../lib/storage.js'

export type Lang = 'en' | 'sw'
export type { MessageKey }
export type Messages = Readonly<Record<MessageKey, string>>
const LANG_KEY = 'mnetifi:lang'
const loaded: Partial<Record<Lang, Messages>> = { en }

/** Loads a language's messages (cached). */
export async function loadMessages(lang: Lang): Promise<Messages> {
  if (!loaded[lang]) loaded[lang] = (await import('./sw.js')).sw
  return loaded[lang]!
}

/** Whether `key` is a message key (for keys built from API codes, like `reason.WRONG_PIN`). */
export function isMessageKey(key: string): key is MessageKey {
  return key in en
}

/** Fills `{slot}`s in `template` from `vars`; a slot without a value stays visible, so a gap is noticed. */
export function format(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

/** The language to start in: the remembered choice, else the browser's, else English. */
export function initialLang(stored: unknown, browserLanguages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'sw') return stored
  return browserLanguages.some((l) => l.toLowerCase().startsWith('sw')) ? 'sw' : 'en'
}

export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string

interface I18n {
  readonly lang: Lang
  readonly t: Translate
  readonly setLang: (lang: Lang) => void
}
const I18nContext = createContext<I18n | null>(null)

/** Provides the language to the tree below (English until another language's messages have arrived). */
export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(readStored(LANG_KEY), navigator.languages ?? [navigator.language]))
  const [messages, setMessages] = useState<{ lang: Lang; messages: Messages }>({ lang: 'en', messages: en })
  useEffect(() => {
    let current = true
    void loadMessages(lang).then((m) => current && setMessages({ lang, messages: m }))
    return () => {
      current = false
    }
  }, [lang])
  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    writeStored(LANG_KEY, next)
  }, [])
  useEffect(() => {
    document.documentElement.lang = messages.lang
  }, [messages.lang])
  const value = useMemo<I18n>(
    () => ({ lang: messages.lang, setLang, t: (key, vars) => format(messages.messages[key], vars) }),
    [messages, setLang],
  )
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

/** The current language, its translate function and the switch. */
export function useI18n(): I18n {
  const value = useContext(I18nContext)
  if (!value) throw new Error('useI18n outside <I18nProvider>')
  return value
}
