// The org chart's zoom: fitted to the width it has, or one of a few fixed scales of the
// chart's own size, stepped by 缩小 and 放大.

export type ChartZoom = 'fit' | number

export const ZOOM_STEPS: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 2, 3]

/**
 * The next scale up from `zoom`. From 'fit' the step above the scale the fitted chart has now
 * (`fitted`: its shown width over its own), so 放大 always makes it larger.
 */
export function zoomIn(zoom: ChartZoom, fitted: number): number {
  const now = zoom === 'fit' ? fitted : zoom
  return ZOOM_STEPS.find((step) => step > now + 1e-6) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1]!
}

/** The next scale down from `zoom` (from 'fit', below the fitted scale). */
export function zoomOut(zoom: ChartZoom, fitted: number): number {
  const now = zoom === 'fit' ? fitted : zoom
  return [...ZOOM_STEPS].reverse().find((step) => step < now - 1e-6) ?? ZOOM_STEPS[0]!
}
