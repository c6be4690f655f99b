import { describe, expect, it } from 'vitest'
import { NOTIFICATIONS_DEFAULTS } from './config.js'
import { NOTIFICATION_EVENTS } from './events.js'
import { describeFailure, formatDateTime, formatDuration } from './format.js'
import { isInQuietWindow, nextSendTime } from './quiet-hours.js'
import { parseAfricasTalkingCost } from './sms/africastalking-client.js'
import { DEFAULT_TEMPLATES, renderText, templateVariables, validateTemplate } from './templates.js'
import { createTransports } from './transports/index.js'
import { outboxOnlyTransport } from './transports/transport.js'
import { parseCommand } from './whatsapp/bot.js'
import { notificationsConfigOf } from './worker.js'
import { metaSignature, verifyMetaSignature } from './whatsapp/signature.js'

describe('templates', () => {
  it('every built-in template in both languages uses only its event\'s variables and has the required ones', () => {
    for (const [event, byLanguage] of Object.entries(DEFAULT_TEMPLATES)) {
      for (const text of Object.values(byLanguage)) expect(validateTemplate(event as keyof typeof NOTIFICATION_EVENTS, text)).toEqual([])
    }
  })

  it('renders placeholders (spaces allowed inside the braces) and lists variables in order of first use', () => {
    expect(renderText('{{ code }} · {{isp}} · {{code}}', { code: '123456', isp: 'Net' })).toBe('123456 · Net · 123456')
    expect(templateVariables('{{b}} {{a}} {{b}}')).toEqual(['b', 'a'])
  })
})

describe('formatting', () => {
  it.each([
    [259_200, 'en', '3 days'], [86_400, 'en', '1 day'], [3600, 'en', '1 hour'], [7200, 'sw', 'saa 2'], [259_200, 'sw', 'siku 3'], [1800, 'en', '30 minutes'],
  ] as const)('%i s in %s is "%s"', (s, lang, text) => {
    expect(formatDuration(s, lang)).toBe(text)
  })

  it('shows times in the tenant\'s zone and failure reasons in the customer\'s language', () => {
    expect(formatDateTime(new Date('2026-11-27T07:15:00Z'), 'Africa/Nairobi')).toBe('27 Nov 2026 10:15')
    expect(describeFailure('INSUFFICIENT_FUNDS', 'sw')).toBe('salio la M-Pesa halitoshi')
    expect(describeFailure('SOMETHING_NEW', 'en')).toBe('payment not completed')
  })
})

describe('quiet hours', () => {
  it('wraps midnight and moves a time inside the window to its end', () => {
    expect(isInQuietWindow(23 * 60, 22 * 60, 7 * 60)).toBe(true)
    expect(isInQuietWindow(7 * 60, 22 * 60, 7 * 60)).toBe(false)
    expect(isInQuietWindow(13 * 60, 12 * 60, 14 * 60)).toBe(true)
    const at = new Date('2026-11-27T03:59:30Z') // 06:59:30 Nairobi
    expect(nextSendTime(at, 'Africa/Nairobi', { start: 22 * 60, end: 7 * 60 }).toISOString()).toBe('2026-11-27T04:00:00.000Z')
    expect(nextSendTime(at, 'Africa/Nairobi', { start: null, end: null })).toBe(at)
  })
})

describe('providers', () => {
  it('reads Africa\'s Talking costs as integers of 1/10 000', () => {
    expect(parseAfricasTalkingCost('KES 0.8000')).toEqual({ currency: 'KES', e4: 8000 })
    expect(parseAfricasTalkingCost('KES 2.5')).toEqual({ currency: 'KES', e4: 25_000 })
    expect(parseAfricasTalkingCost('0')).toBeUndefined()
  })

  it('verifies Meta signatures over the exact bytes only', () => {
    const body = Buffer.from('{"a":1}')
    expect(verifyMetaSignature(body, metaSignature(body, 's3cret'), 's3cret')).toBe(true)
    expect(verifyMetaSignature(Buffer.from('{"a": 1}'), metaSignature(body, 's3cret'), 's3cret')).toBe(false)
    expect(verifyMetaSignature(body, 'sha256=00', 's3cret')).toBe(false)
    expect(verifyMetaSignature(body, undefined, 's3cret')).toBe(false)
  })

  it('understands the bot\'s commands in English and Swahili', () => {
    expect(parseCommand(' Balance? ')).toEqual({ command: 'status', language: 'en' })
    expect(parseCommand('Salio langu')).toEqual({ command: 'status', language: 'sw' })
    expect(parseCommand('nunua')).toEqual({ command: 'buy', language: 'sw' })
    expect(parseCommand('hello there')).toEqual({ command: 'help', language: undefined })
  })

  it('uses the development adapter for every channel unless the config names a provider', () => {
    const dev = createTransports(NOTIFICATIONS_DEFAULTS)
    expect([dev.SMS, dev.WHATSAPP, dev.EMAIL]).toEqual([outboxOnlyTransport, outboxOnlyTransport, outboxOnlyTransport])
    const live = createTransports({ ...NOTIFICATIONS_DEFAULTS, NOTIFY_SMS_TRANSPORT: 'africastalking', NOTIFY_WHATSAPP_TRANSPORT: 'cloud-api' })
    expect(live.SMS).not.toBe(outboxOnlyTransport)
    expect(live.WHATSAPP).not.toBe(outboxOnlyTransport)
    expect(live.EMAIL).toBe(outboxOnlyTransport)
  })
})

describe('the worker\'s settings', () => {
  it('take every notifications key the process config has, optional ones too, and defaults for the rest', () => {
    const c = notificationsConfigOf({ REDIS_URL: 'redis://x', JOBS_PREFIX: 'p', PUBLIC_BASE_URL: 'https://wifi.example', SMTP_USER: 'mailer', SMTP_PASS: 'pw', SMTP_PORT: 465 })
    expect(c).toMatchObject({ SMTP_USER: 'mailer', SMTP_PASS: 'pw', SMTP_PORT: 465, NOTIFY_SMS_TRANSPORT: 'outbox', PUBLIC_BASE_URL: 'https://wifi.example' })
    expect(Object.isFrozen(c)).toBe(true)
  })
})
