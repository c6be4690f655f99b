/** "Are you sure?" for destructive actions: says what will happen, shows progress and the API's refusal. */
import type { ReactNode } from 'react'
import { Button, Dialog, Notice } from '@mnetifi/ui'

export interface ConfirmDialogProps {
  readonly open: boolean
  readonly title: string
  readonly children: ReactNode
  readonly confirmLabel: string
  readonly onConfirm: () => void
  readonly onClose: () => void
  readonly busy?: boolean
  readonly error?: unknown
  readonly tone?: 'danger' | 'primary'
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  busy,
  error,
  tone = 'danger',
}: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      size="sm"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant={tone} busy={busy ?? false} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="text-slate-200">{children}</div>
      {error ? (
        <Notice tone="error" className="mt-4">
          {error instanceof Error ? error.message : 'That did not work.'}
        </Notice>
      ) : null}
    </Dialog>
  )
}
