/** A form's overall error: the API's message (its field errors are shown next to the fields themselves). */
import { Notice } from '@mnetifi/ui'
import { isApiError } from '@mnetifi/ui/api'

export function FormError({ error }: { error: unknown }) {
  if (!error) return null
  const message =
    isApiError(error) && error.code === 'VALIDATION_FAILED'
      ? 'Please correct the fields marked below.'
      : error instanceof Error
        ? error.message
        : 'That did not work.'
  return (
    <Notice tone="error" className="mb-4">
      {message}
    </Notice>
  )
}
