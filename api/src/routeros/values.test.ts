import { describe, expect, it } from 'vitest'
import { formatDuration, parseBool, parseDuration, parseRouterClock, routerOsMajorVersion } from './values.js'

describe('RouterOS values', () => {
  it.each([
    ['1w2d3h4m5s', 788_645], ['5m', 300], ['300ms', 0.3], ['2d3h', 183_600], ['00:05:00', 300], ['2d 03:04:05', 183_845], ['0s', 0],
  ])('parses the duration %s', (text, seconds) => expect(parseDuration(text)).toBe(seconds))

  it('treats an empty duration as none and refuses garbage', () => {
    expect(parseDuration('')).toBeUndefined()
    expect(parseDuration(undefined)).toBeUndefined()
    expect(() => parseDuration('soon')).toThrowError('"soon" is not a RouterOS duration')
  })

  it('formats seconds the way RouterOS prints them', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(5400)).toBe('1h30m')
    expect(formatDuration(694_861)).toBe('1w1d1h1m1s')
  })

  it('reads the ISO clock of 7.10+ and the month-name clock of older builds as the same instant', () => {
    const iso = parseRouterClock({ date: '2026-12-03', time: '11:41:00', 'gmt-offset': '+03:00' })
    expect(iso.toISOString()).toBe('2026-12-03T08:41:00.000Z')
    expect(parseRouterClock({ date: 'dec/03/2026', time: '11:41:00', 'gmt-offset': '+03:00' })).toEqual(iso)
    expect(() => parseRouterClock({ date: '03.12.2026', time: '11:41:00' })).toThrowError('"03.12.2026" is not a RouterOS date')
  })

  it('reads booleans and major versions', () => {
    expect([parseBool('true'), parseBool('yes'), parseBool('false'), parseBool(undefined)]).toEqual([true, true, false, false])
    expect(routerOsMajorVersion('7.18.2 (stable)')).toBe(7)
    expect(routerOsMajorVersion('6.49.10 (long-term)')).toBe(6)
    expect(() => routerOsMajorVersion('beta')).toThrowError('"beta" is not a RouterOS version')
  })
})
