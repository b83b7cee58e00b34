import { describe, expect, it } from 'vitest'
import { progressPercent, progressText, wasCancelled } from './progress'

describe('long work progress', () => {
  it('turns steps into a bounded percentage', () => {
    expect(progressPercent(null)).toBe(0)
    expect(progressPercent({ step: '', done: 0, total: 0 })).toBe(0)
    expect(progressPercent({ step: '', done: 1, total: 3 })).toBe(33)
    expect(progressPercent({ step: '', done: 5, total: 4 })).toBe(100)
  })

  it('says what is being done, or that it is about to start', () => {
    expect(progressText({ step: '正在读取 水务局.xls（2/5）', done: 1, total: 5 })).toBe('正在读取 水务局.xls（2/5）')
    expect(progressText(null)).toBe('正在准备…')
  })

  it('tells a 取消 from a failure', () => {
    expect(wasCancelled({ code: 'cancelled' })).toBe(true)
    expect(wasCancelled({ code: 'io' })).toBe(false)
  })
})
