/**
 * Downloads a file the API generates (CSV, PDF, router pages) with the session cookie and, for operators, the
 * tenant header — which a plain <a href> cannot send — then hands it to the browser as a file.
 */
import { ApiError } from '@mnetifi/ui/api'
import { getActingTenant } from '../api/client.js'

/** GETs `path` (with `query`) with the session and tenant; the API's errors become {@link ApiError}s. */
async function get(path: string, query: Record<string, string | undefined>): Promise<Response> {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])))
  const url = params.size ? `${path}?${params}` : path
  const tenant = getActingTenant()
  let res: Response
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: tenant ? { 'x-tenant-id': tenant } : {} })
  } catch (cause) {
    throw new ApiError(0, { error: 'NETWORK', message: 'No connection' }, cause)
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})))
  return res
}

/** The file at `path` as a Blob (to open or print it rather than save it). */
export async function fetchFile(path: string, query: Record<string, string | undefined> = {}): Promise<Blob> {
  return (await get(path, query)).blob()
}

/** GETs `path` (with `query`) and saves the answer as `fallbackName` unless the API names the file. */
export async function downloadFile(path: string, query: Record<string, string | undefined> = {}, fallbackName = 'export'): Promise<void> {
  const res = await get(path, query)
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName
  const href = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
