import { clsx, type ClassValue } from 'clsx'

/**
 * Class names joined, falsy parts dropped. Deliberately not tailwind-merge (8 KB gzip, a fifteenth of the captive
 * portal's whole budget): components offer variants for what differs, and a caller's `className` adds classes
 * rather than overriding a component's own.
 */
export function cn(...inputs: ClassValue[]): string {
  return clsx(inputs)
}
