import { describe, expect, it } from 'vitest'
import { highlightSegments, queryTerms } from './highlight'

const join = (segments: { text: string }[]) => segments.map((s) => s.text).join('')

describe('search highlighting', () => {
  it('splits a query into distinct terms', () => {
    expect(queryTerms('  消防  检查 消防 ')).toEqual(['消防', '检查'])
    expect(queryTerms('   ')).toEqual([])
  })

  it('marks a two-character term everywhere it occurs', () => {
    const segments = highlightSegments('消防安全检查与消防宣传', '消防')
    expect(segments).toEqual([
      { text: '消防', hit: true },
      { text: '安全检查与', hit: false },
      { text: '消防', hit: true },
      { text: '宣传', hit: false },
    ])
  })

  it('marks several terms, overlapping ones merged, Latin case-insensitively', () => {
    const segments = highlightSegments('对GB标准执行情况的检查', 'gb 检查 标准执')
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(['GB标准执', '检查'])
    expect(join(segments)).toBe('对GB标准执行情况的检查')
  })

  it('keeps markup-looking text as plain text', () => {
    const text = '<img src=x onerror=alert(1)>违法建设'
    const segments = highlightSegments(text, '违法')
    expect(join(segments)).toBe(text)
    expect(segments[0]).toEqual({ text: '<img src=x onerror=alert(1)>', hit: false })
  })

  it('handles empty text and empty queries', () => {
    expect(highlightSegments('', '消防')).toEqual([])
    expect(highlightSegments('消防', '  ')).toEqual([{ text: '消防', hit: false }])
  })
})
