/**
 * MikroTik's HTTP-CHAP login, as the router's own login.html does it: the password field carries
 * hexMD5(chap-id + password + chap-challenge), where md5.js treats each character code as one byte. The router
 * turns that into RADIUS CHAP-Password = chap-id ‖ MD5 bytes (RFC 1994), which radiusd checks.
 */
import SparkMD5 from 'spark-md5'

/**
 * `$(chap-id)` and `$(chap-challenge)` arrive as JavaScript octal escapes (`\371\357…`), passed through the
 * redirect URL as literal text. Returns the bytes as a binary string (one char per byte). Characters that are not
 * part of an escape are kept, so an already-unescaped value passes through unchanged.
 */
export function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{1,3})/g, (_, digits: string) => String.fromCharCode(parseInt(digits, 8) & 0xff))
}

/** The value MikroTik's login form sends as `password` under http-chap: lower-case hex MD5. */
export function chapLoginPassword(chapId: string, password: string, chapChallenge: string): string {
  const bytes = unescapeOctal(chapId) + latin1(password) + unescapeOctal(chapChallenge)
  return SparkMD5.hashBinary(bytes)
}

/** md5.js masks every char code to 8 bits; do the same so non-ASCII input hashes as the router's page would. */
function latin1(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(text.charCodeAt(i) & 0xff)
  return out
}
