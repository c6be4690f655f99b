/** "Export CSV" and friends: shows progress while the API builds the file, and why it failed. */
import { useState } from 'react'
import { Button } from '@mnetifi/ui'
import { downloadFile } from '../lib/download.js'
import { Icon } from './icon.js'
import { useToast } from './toast.js'

export function DownloadButton({
  path,
  query,
  name,
  label,
}: {
  path: string
  query?: Record<string, string | undefined>
  name: string
  label: string
}) {
  const [busy, setBusy] = useState(false)
  const toast = useToast()
  return (
    <Button
      variant="ghost"
      busy={busy}
      onClick={async () => {
        setBusy(true)
        try {
          await downloadFile(path, query, name)
        } catch (err) {
          toast(err instanceof Error ? err.message : 'The export failed', 'error')
        } finally {
          setBusy(false)
        }
      }}
    >
      {!busy && <Icon name="download" />} {label}
    </Button>
  )
}
