/**
 * The emulated router's configuration: one item list per menu (`.id` `*1`, `*2`… as RouterOS numbers them) and
 * one settings object per singleton menu, validated against {@link MENUS}. Errors are {@link RouterTrap}s with
 * RouterOS's own wording, which the API server turns into `!trap` and the script runner into an import failure.
 */
import { MENUS, type MenuSpec } from './menus.js'

/** One item: `.id` plus its properties, all strings as the API carries them. */
export type Item = Record<string, string> & { '.id': string }

/** A refusal, as RouterOS words it (`!trap =message=…`). */
export class RouterTrap extends Error {
  constructor(message: string, readonly category?: number) {
    super(message)
    this.name = 'RouterTrap'
  }
}

/** A property condition: `name=value`, `name!=value`, has / lacks. */
export type Condition = { prop: string; op: '=' | '!=' | 'has' | 'lacks'; value?: string }

/** Whether `item` satisfies every condition. */
export function matches(item: Record<string, string>, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => {
    const v = item[c.prop]
    switch (c.op) {
      case '=': return (v ?? '') === c.value
      case '!=': return (v ?? '') !== c.value
      case 'has': return v !== undefined
      case 'lacks': return v === undefined
    }
  })
}

function spec(path: string): MenuSpec {
  const s = MENUS[path]
  if (!s) throw new RouterTrap('no such command prefix', 0)
  return s
}

const DYNAMIC_SETTINGS = new Set(['/system/clock', '/system/resource'])

/** Items and settings of one router, with the mutations the API and scripts apply. */
export class RouterState {
  readonly lists = new Map<string, Item[]>()
  readonly settings = new Map<string, Record<string, string>>()
  #nextId = 1

  /** A copy of every list and setting (ids included), for exact before/after comparisons; values that change by themselves (clock, resource) are left out. */
  snapshot(): { lists: Record<string, Item[]>; settings: Record<string, Record<string, string>> } {
    const lists: Record<string, Item[]> = {}
    for (const [k, v] of [...this.lists].sort(([a], [b]) => a.localeCompare(b))) if (v.length) lists[k] = v.map((i) => ({ ...i }))
    const settings: Record<string, Record<string, string>> = {}
    for (const [k, v] of [...this.settings].sort(([a], [b]) => a.localeCompare(b))) if (!DYNAMIC_SETTINGS.has(k)) settings[k] = { ...v }
    return { lists, settings }
  }

  /** The items of `path` (live array). */
  items(path: string): Item[] {
    let list = this.lists.get(path)
    if (!list) this.lists.set(path, (list = []))
    return list
  }

  /** The settings object of a singleton menu. */
  setting(path: string): Record<string, string> {
    let s = this.settings.get(path)
    if (!s) this.settings.set(path, (s = {}))
    return s
  }

  /** Items matching `conditions`. */
  find(path: string, conditions: readonly Condition[] = []): Item[] {
    spec(path)
    return this.items(path).filter((i) => matches(i, conditions))
  }

  #check(path: string, props: Record<string, string>): MenuSpec {
    const s = spec(path)
    for (const k of Object.keys(props)) {
      if (k === 'place-before') continue
      if (!s.props.includes(k)) throw new RouterTrap(`unknown parameter ${k}`, 0)
    }
    for (const [k, v] of Object.entries(props)) {
      if (k === 'disabled' && v !== 'yes' && v !== 'no' && v !== 'true' && v !== 'false') throw new RouterTrap(`value of disabled must be yes or no`, 1)
    }
    return s
  }

  #uniqueName(path: string, props: Record<string, string>, except?: string): void {
    if (props.name === undefined) return
    if (this.items(path).some((i) => i.name === props.name && i['.id'] !== except)) {
      throw new RouterTrap('failure: item with such name already exists', 1)
    }
  }

  /** Adds an item (hooks like WireGuard's public key run in {@link RouterState.onAdd}); returns its `.id`. */
  add(path: string, props: Record<string, string>): string {
    const s = this.#check(path, props)
    if (s.singleton || s.fixed || (s.props.length === 0 && s.readOnly)) throw new RouterTrap('failure: cannot add to this menu', 1)
    this.#uniqueName(path, props, undefined)
    const { 'place-before': placeBefore, ...rest } = props
    const item: Item = { '.id': `*${(this.#nextId++).toString(16).toUpperCase()}`, disabled: 'false', ...normalise(rest) }
    this.onAdd(path, item)
    const list = this.items(path)
    const at = placeBefore === undefined ? -1 : list.findIndex((i, n) => i['.id'] === placeBefore || String(n) === placeBefore)
    if (at === -1) list.push(item)
    else list.splice(at, 0, item)
    return item['.id']
  }

  /** Adds an item without validation (dynamic entries: active sessions, built-in services). */
  addDynamic(path: string, props: Record<string, string>): Item {
    const item: Item = { '.id': `*${(this.#nextId++).toString(16).toUpperCase()}`, ...props }
    this.items(path).push(item)
    return item
  }

  /** Sets properties of the items `ids` (or of the singleton when `ids` is undefined). */
  set(path: string, ids: readonly string[] | undefined, props: Record<string, string>): void {
    const s = this.#check(path, props)
    if (s.singleton) {
      if (ids?.length) throw new RouterTrap('no such item', 0)
      Object.assign(this.setting(path), normalise(props))
      return
    }
    if (!ids) throw new RouterTrap('missing value for .id', 1)
    for (const id of ids) {
      const item = this.#get(path, id)
      this.#uniqueName(path, props, item['.id'])
      Object.assign(item, normalise(props))
      this.onSet(path, item)
    }
  }

  /** Removes items by id. */
  remove(path: string, ids: readonly string[]): Item[] {
    const s = spec(path)
    if (s.singleton || s.fixed) throw new RouterTrap('failure: cannot remove from this menu', 1)
    const removed = ids.map((id) => this.#get(path, id))
    const list = this.items(path)
    for (const r of removed) list.splice(list.indexOf(r), 1)
    for (const r of removed) this.onRemove(path, r)
    return removed
  }

  /** Moves items (in their current order) to position `destination`, as `move … destination=` does. */
  move(path: string, ids: readonly string[], destination: number): void {
    const list = this.items(path)
    const moving = ids.map((id) => this.#get(path, id))
    const rest = list.filter((i) => !moving.includes(i))
    rest.splice(Math.min(destination, rest.length), 0, ...moving)
    list.splice(0, list.length, ...rest)
  }

  #get(path: string, id: string): Item {
    const item = this.items(path).find((i) => i['.id'] === id || i.name === id)
    if (!item) throw new RouterTrap('no such item', 0)
    return item
  }

  /** Values that change by themselves (clock, resource), refreshed before they are read. */
  refreshDynamic(): void {}

  /** Derived properties, as RouterOS fills them in (overridden by the emulator). */
  onAdd(_path: string, _item: Item): void {}
  onSet(_path: string, _item: Item): void {}
  onRemove(_path: string, _item: Item): void {}
}

/** RouterOS prints booleans as true/false in the API and accepts yes/no; store the API form. */
function normalise(props: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(props)) out[k] = v === 'yes' ? 'true' : v === 'no' ? 'false' : v
  return out
}
