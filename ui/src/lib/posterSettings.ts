// The poster options of the 公示 screen: which lists a street's community posters show, in
// which order, and which columns under each entry's name. The lists and columns offered come
// from the api (`PosterChoices`); this keeps the user's choice in order.
import type { ListKind, PosterSettings } from '../api'

/** A list as the options show it: chosen or not, in print order. */
export interface PosterListChoice {
  kind: ListKind
  label: string
  chosen: boolean
}

/** The chosen lists first, in the settings' order, then the others in the usual order. */
export function listChoices(offered: Array<[ListKind, string]>, settings: PosterSettings): PosterListChoice[] {
  const label = (kind: ListKind) => offered.find(([k]) => k === kind)?.[1] ?? kind
  const chosen = settings.lists.filter((kind) => offered.some(([k]) => k === kind))
  return [
    ...chosen.map((kind) => ({ kind, label: label(kind), chosen: true })),
    ...offered.filter(([kind]) => !chosen.includes(kind)).map(([kind, text]) => ({ kind, label: text, chosen: false })),
  ]
}

/** Moves the list at `index` one place up (a no-op for the first). */
export function moveUp(lists: PosterListChoice[], index: number): PosterListChoice[] {
  if (index <= 0 || index >= lists.length) return lists
  const moved = [...lists]
  ;[moved[index - 1], moved[index]] = [moved[index], moved[index - 1]]
  return moved
}

/** The settings the options stand for: the chosen lists in their order, the columns. */
export function settingsOf(lists: PosterListChoice[], columns: string[]): PosterSettings {
  return { lists: lists.filter((l) => l.chosen).map((l) => l.kind), columns: [...columns] }
}
