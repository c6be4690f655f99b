import { describe, expect, it } from 'vitest'
import { formatBytes, formatPhone, formatRelative, formatSpan } from './format.js'

describe('dashboard formatting', () => {
  it('writes spans the way people say them', () => {
    expect([45, 600, 3600, 3900, 86_400, 90_000].map(formatSpan)).toEqual(['45 s', '10 min', '1 h', '1 h 5 min', '1 d', '1 d 1 h'])
  })
  it('writes bytes in binary units', () => {
    expect([512, 1536, 5 * 1024 ** 2, 250 * 1024 ** 3].map(formatBytes)).toEqual(['512 B', '1.5 KB', '5.0 MB', '250 GB'])
  })
  it('writes Kenyan numbers as people dial them, and leaves others alone', () => {
    expect(formatPhone('254712345678')).toBe('0712 345 678')
    expect(formatPhone('2547 ***** 123')).toBe('2547 ***** 123')
    expect(formatPhone(null)).toBe('—')
  })
  it('says how far an instant is from now', () => {
    const now = Date.parse('2026-12-03T10:00:00Z')
    expect(formatRelative('2026-12-03T12:30:00Z', now)).toBe('in 2 h 30 min')
    expect(formatRelative('2026-12-01T10:00:00Z', now)).toBe('2 d ago')
  })
})
