/** A secret the API shows exactly once (RADIUS secret, a new user's password): copy it now or lose it. */
import { useState } from 'react'
import { Button, Dialog, Notice } from '@mnetifi/ui'

export function SecretReveal({
  title,
  label,
  secret,
  onClose,
  children,
}: {
  title: string
  label: string
  secret: string | null
  onClose: () => void
  children?: React.ReactNode
}) {
  const [copied, setCopied] = useState(false)
  return (
    <Dialog open={secret !== null} onClose={onClose} title={title} size="sm" footer={<Button onClick={onClose}>I have saved it</Button>}>
      <Notice tone="warning">This is shown only once. MnetiFi stores it encrypted and will not show it again.</Notice>
      <p className="mt-4 text-sm text-slate-300">{label}</p>
      <div className="mt-1 flex items-center gap-2">
        <code data-testid="secret-value" className="glass-input flex-1 rounded-xl px-3 py-2 font-mono text-lg break-all">
          {secret}
        </code>
        <Button
          variant="ghost"
          onClick={() => {
            void navigator.clipboard?.writeText(secret ?? '').then(() => setCopied(true))
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      {children}
    </Dialog>
  )
}
