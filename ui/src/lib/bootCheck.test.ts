import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import script from '../../public/boot-check.js?raw'

// public/boot-check.js runs before the app's module; here it runs in jsdom as the page would.

function boot() {
  new Function(script)()
}

describe('boot-check.js', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    document.body.innerHTML = '<div id="app"></div>'
  })
  afterEach(() => {
    vi.useRealTimers()
    document.body.innerHTML = ''
  })

  it('replaces an empty window after 15 s with a message, what failed (as text) and 重新加载', () => {
    boot()
    const img = document.createElement('img')
    img.src = 'http://tauri.localhost/assets/index-<b>x</b>.js'
    document.body.appendChild(img)
    img.dispatchEvent(new Event('error'))
    window.dispatchEvent(new ErrorEvent('error', { message: '<b>模块出错</b>' }))
    vi.advanceTimersByTime(14_000)
    expect(document.querySelector('[data-testid=boot-failed]')).toBeNull()
    vi.advanceTimersByTime(1_000)
    const box = document.querySelector('[data-testid=boot-failed]')
    expect(box?.textContent).toContain('界面未能载入')
    expect(box?.querySelector('pre')?.textContent).toContain(`未能载入：${img.src}`)
    expect(box?.querySelector('pre')?.textContent).toContain('脚本错误：<b>模块出错</b>')
    expect(box?.querySelector('b')).toBeNull() // what failed is shown as text, never as HTML
    expect(box?.querySelector('button')?.textContent).toBe('重新加载')
  })

  it('stays silent when the app has started', () => {
    boot()
    document.getElementById('app')!.appendChild(document.createElement('section'))
    vi.advanceTimersByTime(20_000)
    expect(document.querySelector('[data-testid=boot-failed]')).toBeNull()
  })
})
