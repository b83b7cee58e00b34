// Tab-separated text, as Excel, WPS and LibreOffice put a block of cells on the clipboard
// (text/plain), and as the editor copies a block out.
//
// A cell that holds a tab, a line break or a double quote is written in double quotes, with
// each inner quote doubled: `"第一行\n第二行"`, `"他说""好"""`. A cell that merely starts with a
// quote but is not closed by one before a tab or line end is taken literally (Excel does the
// same), so stray quotes in ordinary text never swallow the rest of the block.

/** Parse clipboard text into rows of cells. A final line break ends the last row (Excel ends
 * a copied block with one); it does not start an empty row. Empty text gives no rows. */
export function parseTsv(text: string): string[][] {
  if (text === '') return []
  let body = text
  if (body.endsWith('\r\n')) body = body.slice(0, -2)
  else if (body.endsWith('\n') || body.endsWith('\r')) body = body.slice(0, -1)
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  for (;;) {
    const quoted = body[i] === '"' ? readQuoted(body, i) : null
    let end: number
    if (quoted) {
      row.push(quoted.value)
      end = quoted.end
    } else {
      end = i
      while (end < body.length && !SEPARATORS.has(body[end])) end++
      row.push(body.slice(i, end))
    }
    if (end >= body.length) {
      rows.push(row)
      return rows
    }
    if (body[end] === '\t') {
      i = end + 1
      continue
    }
    rows.push(row)
    row = []
    i = end + lineBreakLength(body, end)
  }
}

const SEPARATORS = new Set(['\t', '\n', '\r'])

function lineBreakLength(text: string, at: number): number {
  if (text[at] === '\r' && text[at + 1] === '\n') return 2
  return 1
}

/** A quoted cell starting at `start` (a `"`), when it is closed by a quote that is followed by
 * a tab, a line break or the end; otherwise `null` (the quote is literal text). */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = ''
  let i = start + 1
  while (i < text.length) {
    const c = text[i]
    if (c === '"') {
      if (text[i + 1] === '"') {
        value += '"'
        i += 2
        continue
      }
      const next = text[i + 1]
      if (next === undefined || next === '\t' || next === '\n' || next === '\r') {
        return { value, end: i + 1 }
      }
      return null
    }
    value += c
    i += 1
  }
  return null
}

/** One cell for the clipboard: quoted when it holds a tab, a line break or a quote. */
export function tsvCell(value: string): string {
  if (/[\t\n\r"]/u.test(value)) return `"${value.replaceAll('"', '""')}"`
  return value
}

/** Rows of cells as clipboard text (rows end with CRLF, as Excel writes them). */
export function formatTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(tsvCell).join('\t')).join('\r\n')
}
