// The statistics screen's model: which charts, in which order, as bars or a pie; each chart's
// ECharts option built from the backend's counts (labels are untrusted text: ECharts draws them
// on a canvas as text); and the same numbers as table rows beside the chart.

import type { Count, Statistics } from '../api'

export type ChartKind = 'bar' | 'hbar' | 'pie'

export interface ChartSection {
  key: keyof Pick<
    Statistics,
    | 'by_power_type'
    | 'by_unit'
    | 'withdrawn_to_unit'
    | 'by_level'
    | 'by_list_kind'
    | 'findings_by_grade'
    | 'admission_by_state'
  >
  title: string
  kind: ChartKind
  /** What the table's first column is called. */
  labelHeader: string
}

export const CHART_SECTIONS: readonly ChartSection[] = [
  { key: 'by_power_type', title: '按权力类型', kind: 'bar', labelHeader: '权力类型' },
  { key: 'by_unit', title: '按部门（前 20 个）', kind: 'hbar', labelHeader: '部门' },
  { key: 'withdrawn_to_unit', title: '街道收回至部门的事项（按承接部门）', kind: 'hbar', labelHeader: '承接部门' },
  { key: 'by_level', title: '按层级', kind: 'pie', labelHeader: '层级' },
  { key: 'by_list_kind', title: '按清单类别', kind: 'bar', labelHeader: '清单类别' },
  { key: 'findings_by_grade', title: '待处理问题（按等级）', kind: 'pie', labelHeader: '等级' },
  { key: 'admission_by_state', title: '准入申请（按状态）', kind: 'bar', labelHeader: '状态' },
]

/** Colours the grades and states are known by; other bars take the palette. */
const NAMED_COLOURS: Record<string, string> = {
  红: '#c62828',
  红色: '#c62828',
  黄: '#e0a100',
  黄色: '#e0a100',
  蓝: '#1565c0',
  蓝色: '#1565c0',
  准入: '#2e7d32',
  驳回: '#c62828',
  撤销: '#9e9e9e',
}

const BAR_COLOUR = '#1565c0'

const PALETTE = ['#b71c1c', '#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e', '#546e7a', '#827717']

/** The total of a section, for the table's last row. */
export function total(counts: readonly Count[]): number {
  return counts.reduce((sum, c) => sum + c.count, 0)
}

/** "12.5%" of the total (one decimal), "—" when the total is 0. */
export function share(count: number, of: number): string {
  if (of <= 0) return '—'
  return `${(Math.round((count / of) * 1000) / 10).toFixed(1)}%`
}

function colourOf(label: string, index: number): string {
  return NAMED_COLOURS[label] ?? PALETTE[index % PALETTE.length]!
}

/**
 * The ECharts option of one chart. No tooltip: ECharts writes tooltips as HTML with inline
 * styles, which the window's CSP refuses; the numbers are on the bars and in the table.
 */
export function chartOption(kind: ChartKind, counts: readonly Count[]): Record<string, unknown> {
  // Pies tell their slices apart by colour; bars are one colour unless the label has its own.
  const data = counts.map((c, i) => ({
    name: c.label,
    value: c.count,
    itemStyle: { color: kind === 'pie' ? colourOf(c.label, i) : (NAMED_COLOURS[c.label] ?? BAR_COLOUR) },
  }))
  const textStyle = { fontFamily: 'sans-serif' }
  if (kind === 'pie') {
    return {
      animation: false,
      textStyle,
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data,
          label: { show: true, formatter: '{b}\n{c}' },
        },
      ],
    }
  }
  const horizontal = kind === 'hbar'
  // Horizontal bars read top-down largest first: ECharts draws the first category at the bottom.
  const ordered = horizontal ? [...data].reverse() : data
  const categories = { type: 'category', data: ordered.map((d) => d.name), axisLabel: { interval: 0, ...(horizontal ? { width: 150, overflow: 'truncate' } : { rotate: counts.length > 5 ? 30 : 0 }) } }
  const values = { type: 'value', minInterval: 1 }
  return {
    animation: false,
    textStyle,
    grid: { left: 8, right: horizontal ? 40 : 16, top: 20, bottom: 8, containLabel: true },
    xAxis: horizontal ? values : categories,
    yAxis: horizontal ? categories : values,
    series: [
      {
        type: 'bar',
        data: ordered,
        barMaxWidth: 36,
        label: { show: true, position: horizontal ? 'right' : 'top' },
      },
    ],
  }
}

/** How tall a chart is: horizontal bars grow with their number. */
export function chartHeight(kind: ChartKind, counts: readonly Count[]): number {
  if (kind === 'hbar') return Math.max(160, counts.length * 22 + 40)
  return 260
}
