import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))

const { api, isErrorCode, QuanzeError, toQuanzeError } = await import('./index')

describe('the backend door', () => {
  beforeEach(() => {
    invoke.mockReset()
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
  })
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
  })

  it('passes commands and arguments through', async () => {
    invoke.mockResolvedValue([])
    await api.search('消防', 50)
    expect(invoke).toHaveBeenCalledWith('search', { query: '消防', limit: 50 })
    await api.listItems(7)
    expect(invoke).toHaveBeenLastCalledWith('list_items', { list: 7, offset: 0, limit: 200 })
    await api.loadSampleDistrict()
    expect(invoke).toHaveBeenLastCalledWith('load_sample_district', undefined)
  })

  it('rejects with the backend’s ApiError as a QuanzeError', async () => {
    invoke.mockRejectedValue({ code: 'not_found', message: '清单 9 不存在' })
    const error = await api.listItems(9).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuanzeError)
    expect(error).toMatchObject({ code: 'not_found', message: '清单 9 不存在' })
  })

  it('turns anything else into an internal error', () => {
    expect(toQuanzeError('Command overview not allowed by ACL')).toMatchObject({
      code: 'internal',
      message: '程序内部错误：Command overview not allowed by ACL',
    })
    expect(toQuanzeError({ code: 'made_up', message: 'x' }).code).toBe('internal')
    expect(toQuanzeError(new Error('boom')).message).toBe('boom')
    expect(toQuanzeError(undefined).message).toBe('程序内部错误：未知错误')
  })

  it('knows exactly the generated error codes', () => {
    expect(isErrorCode('database_too_new')).toBe(true)
    expect(isErrorCode('toString')).toBe(false)
    expect(isErrorCode(42)).toBe(false)
  })

  it('refuses politely outside the desktop app', async () => {
    delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__
    await expect(api.overview()).rejects.toMatchObject({ code: 'internal' })
    expect(invoke).not.toHaveBeenCalled()
  })
})
