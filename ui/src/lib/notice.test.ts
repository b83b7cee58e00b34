import { describe, expect, it } from 'vitest'
import { exportFileName, folderOf, isPrintShortcut, pathForFormat, previewDocument, styleNonce, svgImageSource } from './notice'

const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="quanze-notice.css"><title>公示</title></head>
<body><h1>关于&lt;img src=x onerror=alert(1)&gt;的公示</h1><script>alert(1)</script>
<iframe src="https://example.com"></iframe></body></html>`

describe('previewDocument', () => {
  it('replaces the linked stylesheet with a nonced style and keeps text as text', () => {
    const out = previewDocument(html, 'h1 { color: red; }', 'abc123')
    const doc = new DOMParser().parseFromString(out, 'text/html')
    expect(doc.querySelector('link')).toBeNull()
    const style = doc.querySelector('style')
    expect(style?.getAttribute('nonce')).toBe('abc123')
    expect(style?.textContent).toBe('h1 { color: red; }')
    expect(doc.querySelector('h1')?.textContent).toBe('关于<img src=x onerror=alert(1)>的公示')
    expect(doc.querySelector('img')).toBeNull()
  })

  it('drops scripts and frames a template might carry', () => {
    const out = previewDocument(html, '', '')
    expect(out).not.toContain('<script')
    expect(out).not.toContain('<iframe')
    expect(out.startsWith('<!doctype html>')).toBe(true)
  })

  it('refuses a stylesheet that would close its own element', () => {
    const out = previewDocument(html, 'h1{}</style><script>alert(1)</script>', 'n')
    expect(out).not.toContain('alert(1)</script>')
    expect(new DOMParser().parseFromString(out, 'text/html').querySelector('style')?.textContent).toBe('')
  })
})

describe('helpers', () => {
  it('reads the nonce only when Tauri replaced the token', () => {
    document.head.innerHTML = '<meta name="csp-nonce" content="__TAURI_STYLE_NONCE__">'
    expect(styleNonce()).toBe('')
    document.head.innerHTML = '<meta name="csp-nonce" content="k9">'
    expect(styleNonce()).toBe('k9')
  })

  it('encodes SVG as a data URL an <img> can show', () => {
    const src = svgImageSource('<svg><text>城&amp;</text></svg>')
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true)
    expect(decodeURIComponent(src.split(',')[1] ?? '')).toBe('<svg><text>城&amp;</text></svg>')
  })

  it('makes file names without separators', () => {
    expect(exportFileName('青溪街道/履职清单', 'pdf')).toBe('青溪街道_履职清单.pdf')
    expect(exportFileName('  ', 'xlsx')).toBe('公示.xlsx')
    expect(folderOf('/tmp/a/b.pdf')).toBe('/tmp/a')
    expect(folderOf('b.pdf')).toBe('')
  })
})

describe('isPrintShortcut', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
    ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent

  it('is Ctrl+P or ⌘P and nothing else', () => {
    expect(isPrintShortcut(key('p', { ctrlKey: true }))).toBe(true)
    expect(isPrintShortcut(key('P', { metaKey: true }))).toBe(true)
    expect(isPrintShortcut(key('p'))).toBe(false)
    expect(isPrintShortcut(key('p', { ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(isPrintShortcut(key('o', { ctrlKey: true }))).toBe(false)
  })
})

describe('pathForFormat', () => {
  it('replaces a notice extension with the format, adds one to another name, keeps an empty path', () => {
    expect(pathForFormat('/tmp/导出/公示.xlsx', 'pdf')).toBe('/tmp/导出/公示.pdf')
    expect(pathForFormat('/tmp/导出/公示.PDF', 'xlsx')).toBe('/tmp/导出/公示.xlsx')
    expect(pathForFormat('/tmp/导出/公示.xls', 'xlsx')).toBe('/tmp/导出/公示.xlsx')
    expect(pathForFormat('/tmp/导出/公示', 'pdf')).toBe('/tmp/导出/公示.pdf')
    expect(pathForFormat('/tmp/v1.2/公示.docx', 'pdf')).toBe('/tmp/v1.2/公示.docx.pdf')
    expect(pathForFormat('  ', 'pdf')).toBe('  ')
    expect(pathForFormat('/tmp/导出/', 'pdf')).toBe('/tmp/导出/')
  })
})
