/** The emulator's own codec for the API wire format (digest §5.2 length table), checked against the spec bytes. */
import { describe, expect, it } from 'vitest'
import { decodeLength, encodeLength, encodeSentence, parseReply, SentenceDecoder, WireFormatError } from './emulator/wire.js'

describe('RouterOS API words', () => {
  // Source: wiki.mikrotik.com Manual:API, "API words" length table (digest §5.2).
  it.each([
    [0, '00'], [0x7f, '7f'], [0x80, '8080'], [0x3fff, 'bfff'], [0x4000, 'c04000'], [0x1fffff, 'dfffff'],
    [0x200000, 'e0200000'], [0xfffffff, 'efffffff'], [0x10000000, 'f010000000'],
  ])('encodes length %i as %s and back', (n, hex) => {
    expect(encodeLength(n).toString('hex')).toBe(hex)
    expect(decodeLength(Buffer.from(hex, 'hex'))).toEqual([n, hex.length / 2])
  })

  it('refuses the reserved control bytes', () => {
    expect(() => decodeLength(Buffer.from([0xf8]))).toThrowError(WireFormatError)
  })

  it('reassembles sentences split anywhere, even inside a length prefix', () => {
    const long = 'x'.repeat(200)
    const bytes = Buffer.concat([encodeSentence(['!re', `=comment=${long}`, '.tag=7']), encodeSentence(['!done', '.tag=7'])])
    const decoder = new SentenceDecoder()
    const out: string[][] = []
    for (let i = 0; i < bytes.length; i++) out.push(...decoder.push(bytes.subarray(i, i + 1)))
    expect(out).toEqual([['!re', `=comment=${long}`, '.tag=7'], ['!done', '.tag=7']])
  })

  it('splits attribute words on the first = after the name only', () => {
    expect(parseReply(['!re', '=comment=a=b', '=empty=', '.tag=3', '=flag'])).toEqual({
      type: '!re', tag: '3', attributes: { comment: 'a=b', empty: '', flag: '' }, other: [],
    })
  })

  it('bounds the word size it accepts', () => {
    expect(() => new SentenceDecoder(10).push(encodeLength(11))).toThrowError('word of 11 bytes exceeds 10')
  })
})
