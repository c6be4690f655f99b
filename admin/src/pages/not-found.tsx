import { Link } from 'react-router'
import { GlassPanel, buttonClasses } from '@mnetifi/ui'

export function NotFoundPage() {
  return (
    <GlassPanel className="mx-auto mt-10 max-w-md text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-muted">The link may be old. Everything is reachable from the menu.</p>
      <Link to="/" className={buttonClasses('ghost', 'mt-4')}>
        Go to the dashboard
      </Link>
    </GlassPanel>
  )
}
