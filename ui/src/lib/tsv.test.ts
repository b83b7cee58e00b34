import { describe, expect, it } from 'vitest'
import { formatTsv, parseTsv, tsvCell } from './tsv'

describe('parseTsv (a block copied from Excel / WPS)', () => {
  it('splits rows on line breaks and cells on tabs', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(parseTsv('a\tb\nc\td')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  it('keeps empty cells, leading, inner and trailing', () => {
    expect(parseTsv('\tb\t\r\n')).toEqual([['', 'b', '']])
    expect(parseTsv('a\t\tc')).toEqual([['a', '', 'c']])
  })

  it('reads a quoted cell with line breaks, tabs and doubled quotes inside', () => {
    const text = '1\t"【法律】《城乡规划法》\n第六十四条"\t行政处罚\r\n2\t"他说""好""\tx"\t\r\n'
    expect(parseTsv(text)).toEqual([
      ['1', '【法律】《城乡规划法》\n第六十四条', '行政处罚'],
      ['2', '他说"好"\tx', ''],
    ])
  })

  it('takes a quote that does not close a cell literally', () => {
    expect(parseTsv('"引号开头的文字\t下一格')).toEqual([['"引号开头的文字', '下一格']])
    expect(parseTsv('《"名称"》说明\tb')).toEqual([['《"名称"》说明', 'b']])
    expect(parseTsv('"半个"引号\tb')).toEqual([['"半个"引号', 'b']])
  })

  it('gives no rows for empty text and one empty cell for a lone line break', () => {
    expect(parseTsv('')).toEqual([])
    expect(parseTsv('\n')).toEqual([['']])
  })

  it('reads a single cell', () => {
    expect(parseTsv('消防安全检查')).toEqual([['消防安全检查']])
  })
})

describe('formatTsv (copying a block out)', () => {
  it('quotes only cells that need it', () => {
    expect(tsvCell('普通')).toBe('普通')
    expect(tsvCell('两行\n文字')).toBe('"两行\n文字"')
    expect(tsvCell('说"好"')).toBe('"说""好"""')
  })

  it('round-trips through parseTsv', () => {
    const rows = [
      ['1', '第一行\n第二行', 'tab\there'],
      ['', '"引号"', ''],
    ]
    expect(parseTsv(formatTsv(rows))).toEqual(rows)
    expect(parseTsv(formatTsv(rows) + '\r\n')).toEqual(rows)
  })
})
