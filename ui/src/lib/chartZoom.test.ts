import { describe, expect, it } from 'vitest'
import { zoomIn, zoomOut } from './chartZoom'

describe('org chart zoom', () => {
  it('steps through the fixed scales and stops at the ends', () => {
    expect(zoomIn(1, 1)).toBe(1.25)
    expect(zoomOut(1, 1)).toBe(0.75)
    expect(zoomIn(3, 1)).toBe(3)
    expect(zoomOut(0.5, 1)).toBe(0.5)
  })

  it('from fitted, goes larger or smaller than the chart is shown now', () => {
    // A wide chart fitted into a narrow pane is shown at 0.6 of its size.
    expect(zoomIn('fit', 0.6)).toBe(0.75)
    expect(zoomOut('fit', 0.6)).toBe(0.5)
    // A small chart stretched to 1.8 of its size.
    expect(zoomIn('fit', 1.8)).toBe(2)
    expect(zoomOut('fit', 1.8)).toBe(1.5)
  })
})
