//! Cell texts that repeat, drawn from one form XObject each.
//!
//! Real lists repeat whole cells: the same 责任事项 and 追责情形 paragraphs stand under item after
//! item. In the real workbooks of `shared/real-lists`, 36–72 % of the characters of each large
//! list are in cells of 20 characters or more that occur more than once. A page's content
//! stream is deflated on its own, so a paragraph repeated on every page was paid for on every
//! page. Here each tagged span (one cell's text, one marked-content sequence) is first written
//! as it would be on its own, relative to its first glyph; a text that comes out the same in two
//! places or more becomes a form, and the page draws it with `cm … Do` inside the span's
//! marked-content sequence, so the structure tree, `pdftotext` and copying see the same text in
//! the same order.
//!
//! The key is the written bytes, not the cell's string: the same string laid out at another
//! width, size or face is another form, and a cell broken over two pages gives two pieces that
//! match only pieces alike.

use std::collections::HashMap;

use crate::layout::LaidOutPage;
use crate::page_content::{milli, FaceCodes, TextWriter};
use crate::reading_structure::PageMarks;

/// A span written on its own: the content of a form with its origin at the span's first glyph,
/// and where that origin is on the page (thousandths of a point from the bottom left).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpanBlock {
    pub content: Vec<u8>,
    pub x: i64,
    pub y: i64,
}

/// Below this many bytes a form does not pay: drawing one (`ET`, `q 1 0 0 1 x y cm /C12 Do Q`,
/// `BT`) and the form's own object cost about as much as the text.
const SMALLEST_FORM_CONTENT: usize = 48;

/// Each span of `page` (in `marks.spans` order) written as a block, or `None` for artifacts
/// (headers, page numbers: they are not structure content) and for short texts.
pub(crate) fn span_blocks(page: &LaidOutPage, marks: &PageMarks, faces: &[FaceCodes]) -> Vec<Option<SpanBlock>> {
    marks
        .spans
        .iter()
        .map(|span| {
            span.element?;
            let first = page.runs.get(*span.runs.first()?)?;
            let x = milli(first.x);
            let y = milli(page.height - first.baseline);
            let mut content = b"BT\n".to_vec();
            let mut writer = TextWriter::new(faces);
            for &index in &span.runs {
                let run = page.runs.get(index)?;
                writer.run_at(&mut content, run, milli(run.x) - x, milli(page.height - run.baseline) - y);
            }
            content.extend_from_slice(b"ET\n");
            (content.len() >= SMALLEST_FORM_CONTENT).then_some(SpanBlock { content, x, y })
        })
        .collect()
}

/// Which spans are drawn from a form: per page, per span, the form's index and the block's
/// origin; and the forms' contents, in order of first use.
#[derive(Debug, Default)]
pub(crate) struct RepeatedSpans {
    pub placements: Vec<Vec<Option<(usize, i64, i64)>>>,
    pub forms: Vec<Vec<u8>>,
}

/// The blocks that occur twice or more become forms.
pub(crate) fn repeated_spans(blocks: Vec<Vec<Option<SpanBlock>>>) -> RepeatedSpans {
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for block in blocks.iter().flatten().flatten() {
        *counts.entry(&block.content).or_default() += 1;
    }
    let mut index_of: HashMap<&[u8], usize> = HashMap::new();
    let mut forms = Vec::new();
    let placements = blocks
        .iter()
        .map(|page| {
            page.iter()
                .map(|block| {
                    let block = block.as_ref()?;
                    if counts.get(block.content.as_slice()).copied().unwrap_or(0) < 2 {
                        return None;
                    }
                    let next = forms.len();
                    let index = *index_of.entry(&block.content).or_insert(next);
                    if index == next {
                        forms.push(block.content.clone());
                    }
                    Some((index, block.x, block.y))
                })
                .collect()
        })
        .collect();
    RepeatedSpans { placements, forms }
}

/// The form name of repeated span `index` in the shared resources.
pub(crate) fn form_name(index: usize) -> String {
    format!("C{index}")
}
