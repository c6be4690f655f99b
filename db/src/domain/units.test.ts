import { describe, expect, it } from 'vitest'
import { formatDuration, parseDuration, parseRate } from './units.js'

describe('operator units', () => {
  it.each([['5M', 5_000_000], ['512k', 512_000], ['1.5M', 1_500_000], ['1200', 1200], ['1G', 1_000_000_000], ['10Mbps', 10_000_000]])(
    'rate %s is %d bit/s', (text, bps) => expect(parseRate(text)).toBe(bps))
  it.each(['', 'fast', '0', '-5M', '5X'])('rate %j is refused', (text) => expect(parseRate(text)).toBeUndefined())
  it.each([['3600', 3600], ['1h', 3600], ['30m', 1800], ['7d', 604800], ['1h30m', 5400], ['2w', 1209600]])(
    'duration %s is %d s', (text, s) => expect(parseDuration(text)).toBe(s))
  it.each(['', '0', 'h', '1x', '1h foo'])('duration %j is refused', (text) => expect(parseDuration(text)).toBeUndefined())
  it('formats durations back', () => {
    expect(formatDuration(3600)).toBe('1h')
    expect(formatDuration(90061)).toBe('1d1h1m1s')
    expect(formatDuration(2_592_000)).toBe('30d')
    expect(parseDuration(formatDuration(2_592_000))).toBe(2_592_000)
  })
})
