import { describe, expect, it, vi } from 'vitest'
import { PAGE_RESTARTED_PARAMETER } from '../api/bindings'
import { PAGE_RESTARTED_MESSAGE, addressWithoutMarker, takePageRestart, wasRestarted } from './pageRestart'

describe('the page loaded again after its process ended', () => {
  it('recognises the marker the shell puts in the address', () => {
    expect(PAGE_RESTARTED_PARAMETER).toBe('page-restarted')
    expect(wasRestarted('?page-restarted=1')).toBe(true)
    expect(wasRestarted('')).toBe(false)
    expect(wasRestarted('?other=1')).toBe(false)
  })

  it('takes the marker out of the address and keeps the rest', () => {
    expect(addressWithoutMarker('/', '?page-restarted=1', '')).toBe('/')
    expect(addressWithoutMarker('/index.html', '?a=1&page-restarted=1', '#x')).toBe('/index.html?a=1#x')
  })

  it('tells the user once: the message, and the address replaced so a reload says nothing', () => {
    const replaceState = vi.fn()
    const history = { state: null, replaceState } as unknown as History
    const where = { pathname: '/', search: '?page-restarted=1', hash: '' } as Location
    expect(takePageRestart(where, history)).toBe(PAGE_RESTARTED_MESSAGE)
    expect(replaceState).toHaveBeenCalledWith(null, '', '/')
    const plain = { pathname: '/', search: '', hash: '' } as Location
    expect(takePageRestart(plain, history)).toBeNull()
    expect(replaceState).toHaveBeenCalledTimes(1)
  })
})
