// The parts of the `radius` npm package (retailnext/node-radius 1.1.4, CommonJS, no types) that the codec
// cross-check uses. Dev-only: production code never imports it (style §11).
declare module 'radius' {
  type LibAttribute = readonly unknown[]
  export interface LibDecoded {
    code: string
    identifier: number
    length: number
    authenticator: Buffer
    attributes: Record<string, unknown>
    raw_attributes: [number, Buffer][]
  }
  export interface LibEncodeArgs {
    code: string
    identifier?: number
    authenticator?: Buffer
    secret: string | Buffer
    attributes?: LibAttribute[]
    add_message_authenticator?: boolean
  }
  const radius: {
    load_dictionaries(): void
    load_dictionary(file: string): void
    encode(args: LibEncodeArgs): Buffer
    encode_response(args: { packet: LibDecoded; code: string; secret: string | Buffer; attributes?: LibAttribute[] }): Buffer
    decode(args: { packet: Buffer; secret: string | Buffer }): LibDecoded
    verify_response(args: { request: Buffer; response: Buffer; secret: string | Buffer }): boolean
    InvalidSecretError: new (...args: unknown[]) => Error
  }
  export default radius
}
