/**
 * A parser and runner for the RouterOS script forms MnetiFi renders (`.rsc` for `/import`, and terminal
 * one-liners): commands with a full menu path (`/interface wireguard peers add …`, `/ip/hotspot/profile set …`),
 * `key=value` arguments (bare or double-quoted with `\"`, `\\`, `\$` escapes), `[find where a="b" and c!="d"]`
 * selectors, `:if ([:len [/menu find …]] = 0) do={ … } else={ … }`, `:log`, `:put`, `:delay`, `;` separators and
 * `#` comments. Every command is checked against the menu table (path, verb, each property), so parsing a
 * rendered script proves each line is a command form RouterOS knows. Anything else is a syntax error naming
 * the line, as `/import` reports it.
 */
import { COMMANDS, MENUS, VERBS, type Verb } from './menus.js'
import { RouterTrap, type Condition, type RouterState } from './state.js'

/** `[find …]` on a menu (the command's own when `path` is omitted in the source). */
export interface FindExpr { readonly path: string; readonly conditions: readonly Condition[] }

export type Statement =
  | { readonly kind: 'menu'; readonly line: number; readonly path: string; readonly verb: Verb; readonly selector?: FindExpr | string; readonly args: Readonly<Record<string, string>> }
  | { readonly kind: 'command'; readonly line: number; readonly path: string; readonly args: Readonly<Record<string, string>> }
  | { readonly kind: 'if'; readonly line: number; readonly find: FindExpr; readonly op: '=' | '>' | '<' | '!='; readonly value: number; readonly then: readonly Statement[]; readonly else: readonly Statement[] }
  | { readonly kind: 'if-pick'; readonly line: number; readonly path: string; readonly prop: string; readonly start: number; readonly end: number; readonly op: '=' | '!='; readonly value: string; readonly then: readonly Statement[]; readonly else: readonly Statement[] }
  | { readonly kind: 'error'; readonly line: number; readonly message: string }
  | { readonly kind: 'log'; readonly line: number; readonly message: string }
  | { readonly kind: 'delay'; readonly line: number; readonly ms: number }

/** A script that RouterOS would refuse to parse, with its 1-based line. */
export class ScriptSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`)
    this.name = 'ScriptSyntaxError'
  }
}

/** A command that failed while running, with its line (`/import` stops there). */
export class ScriptRuntimeError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`failure on line ${line}: ${reason}`)
    this.name = 'ScriptRuntimeError'
  }
}

const PATHS = [...Object.keys(MENUS), ...Object.keys(COMMANDS)]

class Parser {
  pos = 0
  constructor(readonly src: string) {}

  get line(): number {
    let n = 1
    for (let i = 0; i < this.pos && i < this.src.length; i++) if (this.src[i] === '\n') n++
    return n
  }

  fail(message: string): never {
    throw new ScriptSyntaxError(this.line, message)
  }

  peek(): string { return this.src[this.pos] ?? '' }

  /** Skips spaces and tabs (not newlines); `\` + newline continues a line. */
  skipInline(): void {
    for (;;) {
      const c = this.peek()
      if (c === ' ' || c === '\t' || c === '\r') this.pos++
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2
      else break
    }
  }

  /** Statements until EOF, or until `}` when `inBlock`. */
  statements(inBlock: boolean): Statement[] {
    const out: Statement[] = []
    for (;;) {
      this.skipInline()
      const c = this.peek()
      if (c === '') {
        if (inBlock) this.fail('missing }')
        return out
      }
      if (c === '\n' || c === ';') { this.pos++; continue }
      if (c === '}') {
        if (!inBlock) this.fail('unexpected }')
        return out
      }
      if (c === '#') {
        while (this.peek() !== '\n' && this.peek() !== '') this.pos++
        continue
      }
      out.push(this.statement())
      this.skipInline()
      const end = this.peek()
      if (end !== '' && end !== '\n' && end !== ';' && end !== '}') this.fail(`unexpected ${JSON.stringify(end)} after a command`)
    }
  }

  statement(): Statement {
    const line = this.line
    if (this.peek() === ':') return this.keyword(line)
    if (this.peek() === '/') return this.command(line, undefined)
    return this.fail(`a command must start with / or :, not ${JSON.stringify(this.src.slice(this.pos, this.pos + 10))}`)
  }

  /** A bare word: up to whitespace or one of `;=[](){}"`. */
  word(): string {
    const start = this.pos
    while (this.pos < this.src.length && !/[\s;=[\](){}"]/.test(this.peek())) this.pos++
    return this.src.slice(start, this.pos)
  }

  quoted(): string {
    if (this.peek() !== '"') this.fail('expected "')
    this.pos++
    let out = ''
    for (;;) {
      const c = this.peek()
      if (c === '') this.fail('unterminated string')
      this.pos++
      if (c === '"') return out
      if (c === '\\') {
        const e = this.peek()
        this.pos++
        if (e === '"' || e === '\\' || e === '$' || e === '?' || e === '_') out += e === '_' ? ' ' : e
        else if (e === 'n') out += '\n'
        else if (e === 't') out += '\t'
        else if (e === 'r') out += '\r'
        else this.fail(`unknown escape \\${e}`)
        continue
      }
      if (c === '$') this.fail('unescaped $ in a string (RouterOS would substitute a variable)')
      if (c === '\n') this.fail('newline inside a string')
      out += c
    }
  }

  value(): string {
    if (this.peek() === '"') return this.quoted()
    if (this.peek() === '[' || this.peek() === '(') this.fail('expressions are not supported as values here')
    const v = this.word()
    if (v.includes('$')) this.fail('variables are not supported')
    return v
  }

  /** Menu path words after `/`: the longest known path (CLI form with spaces, or v7's slash form). */
  path(): string {
    if (this.peek() !== '/') this.fail('expected /')
    this.pos++
    let words = this.word().split('/').filter(Boolean)
    let best = PATHS.includes(`/${words.join('/')}`) ? `/${words.join('/')}` : undefined
    for (;;) {
      const save = this.pos
      this.skipInline()
      const w = this.word()
      if (!w || w.includes('=')) { this.pos = save; break }
      const candidate = `/${[...words, w].join('/')}`
      if (PATHS.some((p) => p === candidate || p.startsWith(`${candidate}/`))) {
        words = [...words, w]
        if (PATHS.includes(candidate)) best = candidate
      } else { this.pos = save; break }
    }
    const joined = `/${words.join('/')}`
    if (!best || best !== joined) this.fail(`no such command or menu ${joined}`)
    return best
  }

  args(allowed: readonly string[], what: string): Record<string, string> {
    const args: Record<string, string> = {}
    for (;;) {
      this.skipInline()
      const c = this.peek()
      if (c === '' || c === '\n' || c === ';' || c === '}' || c === ']') return args
      const name = this.word()
      if (!name) this.fail(`unexpected ${JSON.stringify(c)}`)
      if (this.peek() !== '=') this.fail(`expected ${name}=value`)
      this.pos++
      if (!allowed.includes(name)) this.fail(`unknown parameter ${name} for ${what}`)
      if (name in args) this.fail(`${name} given twice`)
      args[name] = this.value()
    }
  }

  /** `[find]`, `[find a=b c="d"]`, `[find where a=b and c!=d]`, optionally `[/path find …]`. */
  find(defaultPath: string | undefined): FindExpr {
    if (this.peek() !== '[') this.fail('expected [')
    this.pos++
    this.skipInline()
    const path = this.peek() === '/' ? this.path() : defaultPath
    if (!path || !MENUS[path]) this.fail('find needs a menu')
    this.skipInline()
    if (this.word() !== 'find') this.fail('expected find')
    const s = MENUS[path]!
    const known = [...s.props, ...(s.readOnly ?? []), 'dynamic', 'default-name']
    const conditions: Condition[] = []
    this.skipInline()
    const save = this.pos
    if (this.word() !== 'where') this.pos = save
    for (;;) {
      this.skipInline()
      if (this.peek() === ']') { this.pos++; return { path, conditions } }
      if (this.peek() === '') this.fail('missing ]')
      if (conditions.length) {
        const save2 = this.pos
        if (this.word() !== 'and') this.pos = save2
        this.skipInline()
      }
      const prop = this.word()
      if (!prop) this.fail(`unexpected ${JSON.stringify(this.peek())} in find`)
      if (!known.includes(prop)) this.fail(`unknown property ${prop} in find on ${path}`)
      let op: '=' | '!=' = '='
      if (prop.endsWith('!')) this.fail('write != without spaces after the name')
      if (this.peek() === '!' ) { op = '!='; this.pos++ }
      if (this.peek() !== '=') this.fail(`expected ${prop}=value in find`)
      this.pos++
      conditions.push({ prop, op, value: this.value() })
    }
  }

  command(line: number, _ctx: undefined): Statement {
    const path = this.path()
    if (COMMANDS[path]) return { kind: 'command', line, path, args: this.args(COMMANDS[path]!, path) }
    const s = MENUS[path]!
    this.skipInline()
    const verb = this.word() as Verb
    if (!VERBS.includes(verb)) this.fail(`no such command ${verb || '(none)'} in ${path}`)
    this.skipInline()
    let selector: FindExpr | string | undefined
    if (verb === 'set' || verb === 'remove' || verb === 'enable' || verb === 'disable' || verb === 'move') {
      if (this.peek() === '[') selector = this.find(path)
      else if (!s.singleton) {
        const save = this.pos
        const w = this.word()
        if (!w || w.includes('=')) { this.pos = save } else selector = w
      }
      if (!s.singleton && selector === undefined) this.fail(`${verb} on ${path} needs an item ([find …] or a name)`)
      if (s.singleton && selector !== undefined) this.fail(`${path} has no items`)
    }
    if ((verb === 'add' || verb === 'remove' || verb === 'move') && (s.singleton || s.fixed)) this.fail(`cannot ${verb} in ${path}`)
    const allowed = verb === 'add' ? [...s.props, 'place-before'] : verb === 'set' ? s.props : verb === 'print' ? ['where', 'detail', 'terse', 'proplist'] : verb === 'move' ? ['destination'] : []
    const args = this.args(allowed, `${path} ${verb}`)
    return { kind: 'menu', line, path, verb, ...(selector !== undefined ? { selector } : {}), args }
  }

  keyword(line: number): Statement {
    this.pos++
    const kw = this.word()
    this.skipInline()
    switch (kw) {
      case 'log': {
        const level = this.word()
        if (!['info', 'warning', 'error', 'debug'].includes(level)) this.fail(`:log needs a level, not ${level}`)
        this.skipInline()
        return { kind: 'log', line, message: this.value() }
      }
      case 'put': return { kind: 'log', line, message: this.value() }
      case 'delay': {
        const m = /^(\d+)(ms|s)?$/.exec(this.word())
        if (!m) this.fail(':delay needs a time like 2s or 500ms')
        return { kind: 'delay', line, ms: Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) }
      }
      case 'error': return { kind: 'error', line, message: this.value() }
      case 'if': {
        const expect = (s: string) => {
          this.skipInline()
          if (!this.src.startsWith(s, this.pos)) this.fail(`expected ${s}`)
          this.pos += s.length
        }
        const block = (): [Statement[], Statement[]] => {
          expect('do={')
          const then = this.statements(true)
          expect('}')
          let otherwise: Statement[] = []
          const save = this.pos
          this.skipInline()
          if (this.src.startsWith('else={', this.pos)) {
            this.pos += 6
            otherwise = this.statements(true)
            expect('}')
          } else this.pos = save
          return [then, otherwise]
        }
        expect('(')
        expect('[')
        this.skipInline()
        if (this.src.startsWith(':pick', this.pos)) {
          // (:pick [/menu get prop] start end) = "text": the v6 guard reads `/system resource get version`.
          expect(':pick')
          expect('[')
          this.skipInline()
          const path = this.path()
          const spec = MENUS[path]
          if (!spec?.singleton) this.fail(`get needs a settings menu, not ${path}`)
          this.skipInline()
          if (this.word() !== 'get') this.fail('expected get')
          this.skipInline()
          const prop = this.word()
          if (![...spec.props, ...(spec.readOnly ?? [])].includes(prop)) this.fail(`unknown property ${prop} of ${path}`)
          expect(']')
          this.skipInline()
          const start = Number(this.word())
          this.skipInline()
          const end = Number(this.word())
          if (!Number.isInteger(start) || !Number.isInteger(end)) this.fail(':pick needs start and end positions')
          expect(']')
          this.skipInline()
          const op = this.src.startsWith('!=', this.pos) ? '!=' : this.peek() === '=' ? '=' : this.fail('expected = or !=')
          this.pos += op.length
          this.skipInline()
          const value = this.quoted()
          expect(')')
          const [then, otherwise] = block()
          return { kind: 'if-pick', line, path, prop, start, end, op, value, then, else: otherwise }
        }
        expect(':len')
        this.skipInline()
        const find = this.find(undefined)
        expect(']')
        this.skipInline()
        const op = this.src.startsWith('!=', this.pos) ? '!=' : (this.peek() as '=' | '>' | '<')
        if (!['=', '>', '<', '!='].includes(op)) this.fail('expected a comparison')
        this.pos += op.length
        this.skipInline()
        const n = this.word()
        if (!/^\d+$/.test(n)) this.fail('expected a number')
        expect(')')
        const [then, otherwise] = block()
        return { kind: 'if', line, find, op, value: Number(n), then, else: otherwise }
      }
      default: return this.fail(`unknown command :${kw}`)
    }
  }
}

/** Parses a script. @throws ScriptSyntaxError naming the first bad line. */
export function parseScript(source: string): Statement[] {
  return new Parser(source).statements(false)
}

/** What running a script may reach outside the router. */
export interface ScriptEnvironment {
  /** `/tool fetch url=…`: the body (the emulator stores it as a file). */
  fetch(url: string): Promise<string>
  /** `:log` / `:put` lines. */
  readonly log?: string[]
  /** Runs `/import file-name=…`. */
  importFile(name: string): Promise<void>
}

function ids(state: RouterState, stmt: Extract<Statement, { kind: 'menu' }>): string[] | undefined {
  const sel = stmt.selector
  if (sel === undefined) return undefined
  if (typeof sel === 'string') return [sel]
  return state.find(sel.path, sel.conditions).map((i) => i['.id'])
}

/** Runs parsed statements against `state`; the first failing command stops the run. */
export async function runStatements(state: RouterState, statements: readonly Statement[], env: ScriptEnvironment): Promise<void> {
  for (const stmt of statements) {
    try {
      switch (stmt.kind) {
        case 'log': env.log?.push(stmt.message); break
        case 'error': throw new RouterTrap(stmt.message)
        case 'if-pick': {
          state.refreshDynamic()
          const text = (state.setting(stmt.path)[stmt.prop] ?? '').slice(stmt.start, stmt.end)
          await runStatements(state, (text === stmt.value) === (stmt.op === '=') ? stmt.then : stmt.else, env)
          break
        }
        case 'delay': break
        case 'if': {
          const n = state.find(stmt.find.path, stmt.find.conditions).length
          const ok = stmt.op === '=' ? n === stmt.value : stmt.op === '!=' ? n !== stmt.value : stmt.op === '>' ? n > stmt.value : n < stmt.value
          await runStatements(state, ok ? stmt.then : stmt.else, env)
          break
        }
        case 'command':
          if (stmt.path === '/tool/fetch') {
            const url = stmt.args.url
            if (!url) throw new RouterTrap('missing value for url')
            const body = await env.fetch(url)
            const dst = stmt.args['dst-path'] ?? url.split('/').pop()!
            const existing = state.items('/file').find((f) => f.name === dst)
            if (existing) { existing.contents = body; existing.size = String(Buffer.byteLength(body)) }
            else state.addDynamic('/file', { name: dst, type: dst.endsWith('.rsc') ? 'script' : 'file', contents: body, size: String(Buffer.byteLength(body)) })
          } else if (stmt.path === '/import') {
            const name = stmt.args['file-name']
            if (!name) throw new RouterTrap('missing value for file-name')
            await env.importFile(name)
          }
          break
        case 'menu': {
          const list = ids(state, stmt)
          switch (stmt.verb) {
            case 'add': state.add(stmt.path, { ...stmt.args }); break
            case 'set': if (!list || list.length) state.set(stmt.path, list, { ...stmt.args }); break
            case 'remove': if (list!.length) state.remove(stmt.path, list!); break
            case 'enable': case 'disable': if (list!.length) state.set(stmt.path, list, { disabled: stmt.verb === 'disable' ? 'yes' : 'no' }); break
            case 'move': if (list!.length) state.move(stmt.path, list!, Number(stmt.args.destination ?? '0')); break
            case 'print': case 'find': case 'get': break
          }
          break
        }
      }
    } catch (err) {
      if (err instanceof ScriptRuntimeError) throw err
      throw new ScriptRuntimeError(stmt.line, err instanceof Error ? err.message : String(err))
    }
  }
}
