import { describe, expect, it } from 'vitest'
import { parseRouterParams } from './router-params.js'
import { routerErrorText } from './router-error.js'
import { format, type Translate } from '../i18n/index.js'
import { en } from '../i18n/en.js'

const HOTSPOT = '0f8fad5b-d9cb-469f-a165-70867728950e'

describe("the router's login variables", () => {
  it('reads what login.html sends, keeping chap values as the octal text the router rendered', () => {
    const q = new URLSearchParams({
      'link-login-only': 'http://10.5.50.1/login',
      'link-orig': 'http://neverssl.com/',
      mac: 'AA:BB:CC:00:11:22',
      ip: '10.5.50.23',
      'chap-id': '\\371',
      'chap-challenge': '\\357\\015\\330',
      identity: 'Kahawa-HS',
      hotspot: HOTSPOT,
      error: '',
    })
    expect(parseRouterParams(q, 7)).toEqual({
      linkLoginOnly: 'http://10.5.50.1/login',
      linkOrig: 'http://neverssl.com/',
      mac: 'AA:BB:CC:00:11:22',
      ip: '10.5.50.23',
      chapId: '\\371',
      chapChallenge: '\\357\\015\\330',
      hotspotId: HOTSPOT,
      identity: 'Kahawa-HS',
      receivedAt: 7,
    })
  })

  it('refuses a login target that is not http(s), and drops values that are not what they claim', () => {
    expect(parseRouterParams(new URLSearchParams({ 'link-login-only': 'javascript:alert(1)' }), 1)).toBeNull()
    expect(parseRouterParams(new URLSearchParams({}), 1)).toBeNull()
    const p = parseRouterParams(
      new URLSearchParams({ 'link-login-only': 'http://10.5.50.1/login', mac: '---', hotspot: 'x', 'link-orig': 'javascript:x' }),
      1,
    )
    expect(p).toMatchObject({ mac: null, hotspotId: null, linkOrig: null, chapId: null })
  })
})

describe("the router's error, in kind words", () => {
  const t: Translate = (k, v) => format(en[k], v)
  it.each([
    ['Your plan has expired', 'Your plan has ended. Choose a plan to get back online.'],
    ['You are already logged in on another device (Simultaneous-Use)', 'This account is already in use on another device.'],
    ['invalid username or password', 'The router did not accept the login. Use "Paid but not online?" and we will fix it.'],
    ['radius server is not responding', 'The router did not accept the login. Use "Paid but not online?" and we will fix it.'],
    ['something odd', 'The Wi-Fi router said: something odd'],
  ])('%s', (error, text) => expect(routerErrorText(error, t)).toBe(text))
})
