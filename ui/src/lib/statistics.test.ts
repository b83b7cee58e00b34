import { describe, expect, it } from 'vitest'
import { CHART_SECTIONS, chartHeight, chartOption, share, total } from './statistics'

const counts = [
  { label: '行政处罚', count: 30 },
  { label: '行政许可', count: 10 },
]

describe('statistics charts', () => {
  it('covers the seven counts of the backend, each once', () => {
    expect(CHART_SECTIONS.map((s) => s.key)).toEqual([
      'by_power_type',
      'by_unit',
      'withdrawn_to_unit',
      'by_level',
      'by_list_kind',
      'findings_by_grade',
      'admission_by_state',
    ])
  })

  it('totals and shares for the tables', () => {
    expect(total(counts)).toBe(40)
    expect(share(30, 40)).toBe('75.0%')
    expect(share(1, 3)).toBe('33.3%')
    expect(share(0, 0)).toBe('—')
  })

  it('builds bars with the labels as categories and the counts on them, without a tooltip', () => {
    const option = chartOption('bar', counts) as {
      xAxis: { data: string[] }
      series: Array<{ type: string; data: Array<{ name: string; value: number }> }>
      tooltip?: unknown
    }
    expect(option.xAxis.data).toEqual(['行政处罚', '行政许可'])
    expect(option.series[0]!.type).toBe('bar')
    expect(option.series[0]!.data.map((d) => d.value)).toEqual([30, 10])
    expect(option.tooltip).toBeUndefined()
  })

  it('draws horizontal bars largest on top, and grade pies in the grade colours', () => {
    const bars = chartOption('hbar', counts) as { yAxis: { data: string[] } }
    expect(bars.yAxis.data).toEqual(['行政许可', '行政处罚'])
    const pie = chartOption('pie', [
      { label: '红', count: 2 },
      { label: '黄', count: 5 },
    ]) as { series: Array<{ type: string; data: Array<{ itemStyle: { color: string } }> }> }
    expect(pie.series[0]!.type).toBe('pie')
    expect(pie.series[0]!.data.map((d) => d.itemStyle.color)).toEqual(['#c62828', '#e0a100'])
  })

  it('keeps untrusted labels as data, never markup', () => {
    const hostile = '<img src=x onerror=alert(1)>局'
    const option = chartOption('hbar', [{ label: hostile, count: 1 }]) as { yAxis: { data: string[] } }
    expect(option.yAxis.data).toEqual([hostile])
    expect(JSON.stringify(option)).not.toContain('formatter":"<')
  })

  it('grows horizontal bar charts with their bars', () => {
    expect(chartHeight('hbar', Array.from({ length: 21 }, (_, i) => ({ label: `${i}`, count: i })))).toBe(502)
    expect(chartHeight('bar', counts)).toBe(260)
  })
})
