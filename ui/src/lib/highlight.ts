// Splitting a text around the terms of a search query, so that matches can be emphasized
// while every piece is still rendered as plain text (never as HTML).

export interface Segment {
  text: string
  hit: boolean
}

/** The terms of a query: split on whitespace, empty ones dropped, duplicates removed. */
export function queryTerms(query: string): string[] {
  const terms = query
    .split(/\s+/u)
    .map((t) => t.trim())
    .filter((t) => t !== '')
  return [...new Set(terms)]
}

/**
 * Cut `text` into segments, marking those that match one of the query's terms (case-insensitive
 * for Latin letters). Joining the segments' text gives back `text` exactly.
 */
export function highlightSegments(text: string, query: string): Segment[] {
  if (text === '') return []
  const terms = queryTerms(query)
    .map((t) => t.toLocaleLowerCase())
    .sort((a, b) => b.length - a.length)
  if (terms.length === 0) return [{ text, hit: false }]
  const lower = text.toLocaleLowerCase()
  // Lower-casing can change length for a few scripts; then fall back to no highlighting.
  if (lower.length !== text.length) return [{ text, hit: false }]
  const marked = new Array<boolean>(text.length).fill(false)
  for (const term of terms) {
    let from = 0
    for (;;) {
      const at = lower.indexOf(term, from)
      if (at < 0) break
      marked.fill(true, at, at + term.length)
      from = at + 1
    }
  }
  const out: Segment[] = []
  for (let i = 0; i < text.length; i++) {
    const last = out[out.length - 1]
    if (last && last.hit === marked[i]) last.text += text[i]
    else out.push({ text: text[i], hit: marked[i] })
  }
  return out
}
