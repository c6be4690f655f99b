/**
 * A tenant's branding over the default look: its colours become the accent (CSS variables the theme reads) and
 * its name the page title. Colours that are not plain hex are ignored, so branding cannot inject CSS.
 */
const HEX = /^#[0-9a-f]{6}$/i

export function applyBranding(isp: {
  readonly name: string
  readonly primaryColor: string | null
  readonly accentColor: string | null
}): void {
  const root = document.documentElement.style
  if (isp.primaryColor && HEX.test(isp.primaryColor)) root.setProperty('--brand-from', isp.primaryColor)
  if (isp.accentColor && HEX.test(isp.accentColor)) root.setProperty('--brand-to', isp.accentColor)
  else if (isp.primaryColor && HEX.test(isp.primaryColor)) root.setProperty('--brand-to', isp.primaryColor)
  document.title = `${isp.name} Wi-Fi`
}
