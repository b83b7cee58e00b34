// Reading the audit log: which entries belong to a list, and what an entry changed.

import type { AuditEntry, JsonValue } from '../api'

type Doc = { [key: string]: JsonValue | undefined }

function asDoc(value: JsonValue | null | undefined): Doc | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : null
}

/** Whether an entry is about this list: the list itself, or one of its items (before or after). */
export function entryInList(entry: AuditEntry, list: number): boolean {
  if (entry.entity === '清单') return entry.entity_id === list
  if (entry.entity !== '事项') return false
  return [entry.before, entry.after].some((doc) => asDoc(doc)?.list === list)
}

/**
 * Whether an entry stands for a run of items written at once (an import or a load writes one
 * entry for all of a file's items, even a run of one): its `after` is a summary with labels as
 * keys (来源, 事项 …) and the list, not an item.
 */
export function isRun(entry: AuditEntry): boolean {
  return entry.entity_id_last !== undefined && entry.entity_id_last !== null
}

/** The entity's id as "#7", or a run's first and last as "#101–#600". */
export function entityIds(entry: AuditEntry): string {
  const last = entry.entity_id_last
  return last === undefined || last === entry.entity_id
    ? `#${entry.entity_id}`
    : `#${entry.entity_id}–#${last}`
}

/** A value as one line of text (objects and arrays as JSON). */
export function valueText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/**
 * The top-level fields an entry changed, with the text before and after (bookkeeping left out:
 * the id, and a run's list, which its label names).
 */
export function changedFields(entry: AuditEntry): Array<{ field: string; before: string; after: string }> {
  const before = asDoc(entry.before) ?? {}
  const after = asDoc(entry.after) ?? {}
  const run = isRun(entry)
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => k !== 'id' && !(run && k === 'list'),
  )
  return keys
    .map((field) => ({ field, before: valueText(before[field]), after: valueText(after[field]) }))
    .filter((change) => change.before !== change.after)
}

/** RFC 3339 local time as "2025-06-30 14:05:09". */
export function shortTime(at: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(at)
  return match ? `${match[1]} ${match[2]}` : at
}
