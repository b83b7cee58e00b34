// What the editor's 权力类型 and 类别 cells offer while a cell is edited (issue 18: "the 类别 and
// 权力类型 cells offer their closed sets"). The words come from the domain through the generated
// bindings — the ten 权力类型 (`PowerType::ALL`) and the common 类别 (`COMMON_CATEGORIES`) —
// never from a table of the UI's own. 权力类型 is a closed set: the backend refuses any other
// word and says which ten it takes. 类别 is open: the words the list already uses are offered
// too, and a new word is kept as written, with a note that it is not one of the common ones.

import { COMMON_CATEGORIES, POWER_TYPES } from '../api/bindings'
import type { FieldRef } from '../api'

export interface FieldChoices {
  /** What the cell offers, in order. */
  values: string[]
  /** Only these are accepted (权力类型); otherwise any text is kept (类别). */
  closed: boolean
}

/** The choices of a column's field, or null for a field typed freely. `used`: the texts the
 * list's rows hold in that column (offered after the common words when the set is open). */
export function fieldChoices(field: FieldRef, used: Iterable<string> = []): FieldChoices | null {
  if (!('standard' in field)) return null
  if (field.standard === 'power_type') return { values: [...POWER_TYPES], closed: true }
  if (field.standard === 'category') {
    const values = [...COMMON_CATEGORIES]
    const known = new Set(values)
    const extra = new Set<string>()
    for (const text of used) {
      const word = text.trim()
      if (word !== '' && !known.has(word)) extra.add(word)
    }
    return { values: values.concat([...extra].sort((a, b) => a.localeCompare(b, 'zh-CN'))), closed: false }
  }
  return null
}

/** The choices that fit what is typed: all of them while nothing is typed (or while the cell
 * holds one of them as it is), else those containing the typed text. */
export function matchingChoices(values: readonly string[], typed: string): string[] {
  const text = typed.trim()
  if (text === '' || values.includes(text)) return [...values]
  return values.filter((v) => v.includes(text))
}

/** A note for a word kept although the cell did not offer it (an open set only: a closed
 * set's backend refuses it and says why; an empty cell needs none). */
export function outsideChoicesNote(label: string, choices: FieldChoices, value: string): string | null {
  const word = value.trim()
  if (choices.closed || word === '' || choices.values.includes(word)) return null
  return `${label}“${word}”不是常用的${label}，已按所写保存`
}
