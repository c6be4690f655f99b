/**
 * The WhatsApp bot's words: which command a customer's message is (English or Swahili), and the answer in the
 * customer's language. "status" / "balance" / "plan" give the plan and its expiry, "buy" the portal link, "help"
 * the ISP's contact; anything else gets the help text.
 */
import type { NotificationLanguage } from '@mnetifi/db'

export type BotCommand = 'status' | 'buy' | 'help'

const COMMANDS: Readonly<Record<string, { command: BotCommand; language: NotificationLanguage }>> = Object.freeze({
  status: { command: 'status', language: 'en' }, balance: { command: 'status', language: 'en' }, plan: { command: 'status', language: 'en' },
  buy: { command: 'buy', language: 'en' }, help: { command: 'help', language: 'en' },
  hali: { command: 'status', language: 'sw' }, salio: { command: 'status', language: 'sw' }, kifurushi: { command: 'status', language: 'sw' },
  nunua: { command: 'buy', language: 'sw' }, msaada: { command: 'help', language: 'sw' }, usaidizi: { command: 'help', language: 'sw' },
})

/** The command a message is, and the language it was written in when that tells (undefined for other text). */
export function parseCommand(text: string): { command: BotCommand; language: NotificationLanguage | undefined } {
  const word = text.trim().toLowerCase().split(/\s+/)[0]?.replace(/[^a-z]/g, '') ?? ''
  const found = COMMANDS[word]
  return found ? { command: found.command, language: found.language } : { command: 'help', language: undefined }
}

/** What the bot knows when it answers. */
export interface BotFacts {
  readonly isp: string
  readonly portalUrl: string
  readonly contact: string | null
  /** undefined: no account for this number. */
  readonly customer?: { readonly plan: string | null; readonly expires: string | null }
}

const WORDS = {
  en: {
    active: (f: BotFacts, plan: string, expires: string) => `${f.isp}: your plan ${plan} is active until ${expires}.`,
    none: (f: BotFacts) => `${f.isp}: you have no active plan. Buy one at ${f.portalUrl}`,
    unknown: (f: BotFacts) => `${f.isp}: we have no account for this number. Buy a plan at ${f.portalUrl}`,
    buy: (f: BotFacts) => `${f.isp}: buy a plan at ${f.portalUrl}`,
    help: (f: BotFacts) => `${f.isp}: reply STATUS for your plan, BUY to buy one.${f.contact ? ` Help: ${f.contact}` : ''}`,
  },
  sw: {
    active: (f: BotFacts, plan: string, expires: string) => `${f.isp}: kifurushi chako ${plan} kinatumika hadi ${expires}.`,
    none: (f: BotFacts) => `${f.isp}: huna kifurushi kinachotumika. Nunua kupitia ${f.portalUrl}`,
    unknown: (f: BotFacts) => `${f.isp}: hatuna akaunti ya nambari hii. Nunua kifurushi kupitia ${f.portalUrl}`,
    buy: (f: BotFacts) => `${f.isp}: nunua kifurushi kupitia ${f.portalUrl}`,
    help: (f: BotFacts) => `${f.isp}: jibu HALI kuona kifurushi chako, NUNUA kununua.${f.contact ? ` Msaada: ${f.contact}` : ''}`,
  },
} as const

/** The answer to `command` in `language`. */
export function botAnswer(command: BotCommand, language: NotificationLanguage, facts: BotFacts): string {
  const w = WORDS[language]
  if (command === 'buy') return w.buy(facts)
  if (command === 'help') return w.help(facts)
  if (!facts.customer) return w.unknown(facts)
  const { plan, expires } = facts.customer
  return plan && expires ? w.active(facts, plan, expires) : w.none(facts)
}
