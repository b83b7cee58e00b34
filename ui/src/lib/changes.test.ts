import { describe, expect, it } from 'vitest'
import { changeValueText } from './changes'

describe('changeValueText', () => {
  it('shows empty values, lists, numbers and yes/no as a clerk reads them', () => {
    expect(changeValueText(null)).toBe('（空）')
    expect(changeValueText('')).toBe('（空）')
    expect(changeValueText([])).toBe('（空）')
    expect(changeValueText(['城管科', '执法队'])).toBe('城管科、执法队')
    expect(changeValueText(6)).toBe('6')
    expect(changeValueText(false)).toBe('否')
    expect(changeValueText('<b>文字</b>')).toBe('<b>文字</b>')
    expect(changeValueText({ header: '救济渠道' })).toBe('{"header":"救济渠道"}')
  })
})
