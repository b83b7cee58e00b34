// The notice preview and the org chart, shown so that nothing in them can run.
//
// The backend renders a notice as an HTML document whose stylesheet is linked (no inline style,
// no script). The app shows it in an `<iframe sandbox="" srcdoc>`: no script runs there and it has
// an origin of its own. The frame inherits the window's CSP (`style-src 'self'` plus Tauri's
// nonce), so the stylesheet goes in as a `<style>` carrying that nonce, its text set as text.
// The org chart (SVG) is shown as an `<img>` of a data: URL: an image never runs script.

/** The CSP nonce Tauri puts in `<meta name="csp-nonce">` (see index.html), or '' outside the app. */
export function styleNonce(doc: Document = document): string {
  const content = doc.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? ''
  return content.startsWith('__') ? '' : content
}

/**
 * The srcdoc of a notice preview: `html` parsed (never run), its linked stylesheets and any
 * script, frame, object or embed removed, and `css` added as a nonced `<style>`.
 */
export function previewDocument(html: string, css: string, nonce: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  for (const el of doc.querySelectorAll('link, script, iframe, frame, object, embed, base, meta[http-equiv]')) {
    el.remove()
  }
  const style = doc.createElement('style')
  if (nonce) style.setAttribute('nonce', nonce)
  // A stylesheet cannot end its own element: `</style` in the CSS would let text after it
  // become markup. The built-in stylesheet never has it; refuse rather than guess.
  style.textContent = /<\/style/i.test(css) ? '' : css
  doc.head.appendChild(style)
  return `<!doctype html>\n${doc.documentElement.outerHTML}`
}

/** An `<img>` source for SVG text. */
export function svgImageSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}

/** The default file name of an export, from the title: no path separators or control characters. */
export function exportFileName(title: string, format: 'pdf' | 'xlsx'): string {
  // eslint-disable-next-line no-control-regex
  const stem = title.replace(/[\u0000-\u001f/\\:*?"<>|]/g, '_').trim() || '公示'
  return `${stem}.${format}`
}

/** `path` with the extension of `format`: a notice's own extension (.pdf, .xlsx, .xls) is
 * replaced, any other name gets one added; an empty path stays empty. Switching 格式 after
 * typing or choosing a path must not write a PDF under an .xlsx name (issue 18). */
export function pathForFormat(path: string, format: 'pdf' | 'xlsx'): string {
  const trimmed = path.trim()
  if (trimmed === '') return path
  const stem = trimmed.replace(/\.(pdf|xlsx|xls)$/iu, '')
  const name = stem.slice(Math.max(stem.lastIndexOf('/'), stem.lastIndexOf('\\')) + 1)
  if (name === '') return trimmed
  return `${stem}.${format}`
}

/** The folder part of a path ('' when there is none). */
export function folderOf(path: string): string {
  const at = path.lastIndexOf('/')
  return at > 0 ? path.slice(0, at) : ''
}

/** Ctrl+P (⌘P on a Mac keyboard): 打印… in the 公示 screen, as in every program that prints. */
export function isPrintShortcut(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'p'
}
