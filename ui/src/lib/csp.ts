// Content-Security-Policy violations seen by this page, kept on `window` so that the end-to-end
// test can assert that the strict CSP of the desktop shell breaks nothing.

declare global {
  interface Window {
    __quanzeCspViolations?: string[]
  }
}

export function recordCspViolations(): void {
  if (typeof window === 'undefined' || window.__quanzeCspViolations) return
  const seen: string[] = []
  window.__quanzeCspViolations = seen
  document.addEventListener('securitypolicyviolation', (event) => {
    seen.push(`${event.effectiveDirective} ${event.blockedURI || '(inline)'}`)
    console.warn('CSP violation', event.effectiveDirective, event.blockedURI)
  })
}
