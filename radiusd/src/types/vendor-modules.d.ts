// Minimal declarations for the pure-JS crypto packages radiusd uses that ship no types.
// MD4 and DES for src/auth/mschapv2.ts.
declare module 'js-md4' {
  const md4: { arrayBuffer(message: ArrayBuffer | Uint8Array | string): ArrayBuffer }
  export default md4
}
declare module 'des.js' {
  interface Cipher { update(data: Uint8Array | number[]): number[]; final(): number[] }
  export const DES: { create(options: { type: 'encrypt' | 'decrypt'; key: Uint8Array | number[]; padding?: boolean }): Cipher }
}
// DES crypt(3) for src/auth/crypt-password.ts (CommonJS, no types): crypt(password, two-character salt).
declare module 'unix-crypt-td-js' {
  function unixCryptTD(password: string | Uint8Array | number[], salt: string | number[]): string
  export default unixCryptTD
}
