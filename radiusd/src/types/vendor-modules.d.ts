// Minimal declarations for the two pure-JS crypto packages used by src/auth/mschapv2.ts (they ship no types).
declare module 'js-md4' {
  const md4: { arrayBuffer(message: ArrayBuffer | Uint8Array | string): ArrayBuffer }
  export default md4
}
declare module 'des.js' {
  interface Cipher { update(data: Uint8Array | number[]): number[]; final(): number[] }
  export const DES: { create(options: { type: 'encrypt' | 'decrypt'; key: Uint8Array | number[]; padding?: boolean }): Cipher }
}
