import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { RecentFile } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
const { default: ConnectServerDialog } = await import('./ConnectServerDialog.vue')

const field = (name: string) => {
  const found = document.querySelector<HTMLElement>(`[data-testid=server-${name}]`)!
  return (found instanceof HTMLInputElement ? found : found.querySelector('input'))!
}

async function type(name: string, value: string) {
  const input = field(name)
  input.value = value
  input.dispatchEvent(new Event('input'))
  input.dispatchEvent(new Event('change'))
  await flushPromises()
}

const server: RecentFile = {
  path: 'postgresql://li_ming@192.168.1.10:5432/quanze_district',
  opened_at: '2026-12-06 09:00',
  exists: true,
  server: { host: '192.168.1.10', port: 5432, database: 'quanze_district', account: 'li_ming' },
}

describe('ConnectServerDialog', () => {
  it('sends the typed fields and password to the shell, then forgets the password', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation((command: string) =>
      command === 'connect_server' ? Promise.resolve([server]) : Promise.reject({ code: 'internal', message: command }),
    )
    const wrapper = mount(ConnectServerDialog, { props: { modelValue: true }, global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(field('port').value).toBe('5432')
    expect(field('password').type).toBe('password')
    await type('host', '192.168.1.10')
    await type('database', 'quanze_district')
    await type('account', 'li_ming')
    await type('password', 'p@ss:w/rd')
    document.querySelector<HTMLButtonElement>('[data-testid=server-connect]')!.click()
    await flushPromises()
    // The URL (and its percent-encoding) is the shell's business: the UI sends the parts.
    expect(invoke).toHaveBeenCalledWith('connect_server', {
      login: {
        address: { host: '192.168.1.10', port: 5432, database: 'quanze_district', account: 'li_ming' },
        password: 'p@ss:w/rd',
      },
    })
    expect(wrapper.emitted('connected')).toEqual([[server.path, [server]]])
    expect(wrapper.emitted('update:modelValue')).toEqual([[false]])
    expect(field('password').value).toBe('')
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('opened from a recent server it is filled in but for the password, and shows a refusal', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(() =>
      Promise.reject({ code: 'permission_denied', message: '服务器 192.168.1.10:5432 拒绝登录：账号「li_ming」或密码不正确' }),
    )
    const wrapper = mount(ConnectServerDialog, {
      props: { modelValue: false, preset: server.server },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    expect(['host', 'port', 'database', 'account', 'password'].map((f) => field(f).value)).toEqual([
      '192.168.1.10',
      '5432',
      'quanze_district',
      'li_ming',
      '',
    ])
    await type('password', 'wrong')
    document.querySelector<HTMLButtonElement>('[data-testid=server-connect]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid=server-error]')?.textContent).toContain('密码不正确')
    expect(wrapper.emitted('connected')).toBeUndefined()
    expect(field('password').value).toBe('')
    wrapper.unmount()
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })
})
