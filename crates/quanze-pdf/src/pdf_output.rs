//! A [`LaidOutDocument`] drawn with printpdf 0.12's low-level operations.
//!
//! Every run is one `Tm` + glyph ids at its absolute position inside a single text object per
//! page (printpdf merges runs on one baseline into one `TJ` with kerns that reproduce the
//! positions exactly). Glyphs come from the face's cmap, without shaping, so the widths printpdf
//! writes to `/W` are the advances the layout measured. printpdf subsets each face to the glyphs used (its
//! `text_layout` feature) and writes a `/ToUnicode` map, so `pdftotext` gives the text back.

use std::collections::{HashMap, HashSet};

use printpdf::{
    Codepoint, Color, DictItem, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::content_compaction::compact_glyph_arrays;
use crate::error::PdfError;
use crate::layout::{Ink, LaidOutDocument, LaidOutPage, MM};
use crate::reading_structure::{document_structure, DocumentStructure, PageMarks};
use crate::structure_tree::add_structure_tree;

fn colour(ink: Ink) -> Color {
    let (r, g, b) = match ink {
        Ink::Black => (0.0, 0.0, 0.0),
        // 公文 red, close to the Pantone 485 the 版头 is printed in.
        Ink::Red => (0.85, 0.08, 0.06),
        Ink::Shade => (0.91, 0.91, 0.91),
    };
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

/// Serializes the document. Fonts are subset and compressed; the creation date is the only
/// thing that differs between two runs.
pub fn write_pdf(document: &LaidOutDocument) -> Result<Vec<u8>, PdfError> {
    let mut pdf = PdfDocument::new(&document.title);
    // printpdf dates a document 1970-01-01 unless told otherwise.
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    if let Ok(now) = printpdf::OffsetDateTime::from_unix_timestamp(seconds) {
        let info = &mut pdf.metadata.info;
        info.creation_date = now;
        info.modification_date = now;
        info.metadata_date = now;
    }
    pdf.metadata.info.creator = "Quanze 权责清单编辑器".to_owned();
    pdf.metadata.info.producer = "Quanze (printpdf)".to_owned();
    // Each face goes in with the character of every glyph the document uses, so that the runs
    // can pass bare glyph ids: printpdf takes a glyph's character for /ToUnicode from this
    // cache, instead of a string per glyph drawn (two million of them in a long notice).
    let characters = glyph_characters(document);
    let mut font_ids = Vec::with_capacity(document.faces.len());
    for (index, face) in document.faces.iter().enumerate() {
        let mut font = (**face.parsed()?).clone();
        if let Some(characters) = characters.get(index) {
            for (gid, c) in characters.iter().enumerate() {
                if let Some(c) = c {
                    let mut buffer = [0u8; 4];
                    font.cache_glyph_mapping(gid as u16, c.encode_utf8(&mut buffer));
                }
            }
        }
        font_ids.push(pdf.add_font(&font));
    }
    let structure = document_structure(document);
    let pages_with_marks: Vec<(&LaidOutPage, &PageMarks)> =
        document.pages.iter().zip(&structure.pages).collect();
    let pages = in_parallel(&pages_with_marks, |(page, marks)| {
        page_ops(page, marks, &structure, &font_ids)
    });
    pdf.with_pages(pages);
    let mut warnings = Vec::new();
    // printpdf's own `optimize` compresses every stream at zlib's best level, which took a
    // third of the time of a 4,000-page notice for a few per cent of size; streams are
    // compressed below at the default level instead, and small objects go into compressed
    // object streams.
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut lopdf_document = pdf.to_lopdf_document(&options, &mut warnings);
    add_structure_tree(&mut lopdf_document, &structure)?;
    let content_streams: HashSet<lopdf::ObjectId> = lopdf_document
        .get_pages()
        .values()
        .flat_map(|&page| lopdf_document.get_page_contents(page))
        .collect();
    compress_streams(&mut lopdf_document, &content_streams);
    let mut bytes = Vec::new();
    let save = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(6)
        .build();
    lopdf_document
        .save_with_options(&mut bytes, save)
        .map_err(|error| PdfError::Serialize(error.to_string()))?;
    if bytes.is_empty() {
        let reason = warnings
            .first()
            .map(|warning| warning.msg.clone())
            .unwrap_or_else(|| "printpdf 没有输出任何内容".to_owned());
        return Err(PdfError::Serialize(reason));
    }
    Ok(bytes)
}

/// For each face of the document, the character drawn with each glyph id it uses.
fn glyph_characters(document: &LaidOutDocument) -> Vec<Vec<Option<char>>> {
    let mut characters: Vec<Vec<Option<char>>> = vec![Vec::new(); document.faces.len()];
    for page in &document.pages {
        for run in &page.runs {
            let Some(table) = characters.get_mut(run.face) else {
                continue;
            };
            for (&gid, c) in run.glyphs.iter().zip(run.text.chars()) {
                let index = usize::from(gid);
                if table.len() <= index {
                    table.resize(index + 1, None);
                }
                if table[index].is_none() {
                    table[index] = Some(c);
                }
            }
        }
    }
    characters
}

/// Threads for the parts that are independent per page or per stream.
fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// `work` over `items` on a few threads, results in order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = worker_count();
    if workers < 2 || items.len() < 32 {
        return items.iter().map(&work).collect();
    }
    let chunk = items.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&work).collect::<Vec<R>>()))
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => results.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

/// Deflates every stream that is not compressed yet (content streams and the subset font
/// programs; printpdf marks what must stay raw), on a few threads.
/// Page content streams (`content_streams`) are compacted first (`content_compaction`).
fn compress_streams(document: &mut lopdf::Document, content_streams: &HashSet<lopdf::ObjectId>) {
    let mut streams: Vec<(bool, &mut lopdf::Stream)> = document
        .objects
        .iter_mut()
        .filter_map(|(id, object)| match object {
            lopdf::Object::Stream(stream)
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() =>
            {
                Some((content_streams.contains(id), stream))
            }
            _ => None,
        })
        .collect();
    let workers = worker_count();
    if workers < 2 || streams.len() < 32 {
        for (content, stream) in streams {
            compress_stream(content, stream);
        }
        return;
    }
    let chunk = streams.len().div_ceil(workers);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for (content, stream) in part.iter_mut() {
                    compress_stream(*content, stream);
                }
            });
        }
    });
}

fn compress_stream(page_content: bool, stream: &mut lopdf::Stream) {
    use std::io::Write;
    if page_content {
        stream.content = compact_glyph_arrays(&stream.content);
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// Coordinates are written to 0.01 pt (0.0035 mm): shorter numbers, which also compress
/// better, and no visible difference.
fn round(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}

/// Rules that continue one another (the column edges of consecutive table rows) become one
/// line each: a column edge is drawn once per page part instead of once per row.
fn merged_rules(rules: &[crate::layout::Rule]) -> Vec<crate::layout::Rule> {
    let mut vertical: Vec<crate::layout::Rule> = Vec::new();
    let mut others: Vec<crate::layout::Rule> = Vec::new();
    for rule in rules {
        let (top, bottom) = if rule.from.1 <= rule.to.1 {
            (rule.from, rule.to)
        } else {
            (rule.to, rule.from)
        };
        if (rule.from.0 - rule.to.0).abs() < 0.001 {
            vertical.push(crate::layout::Rule {
                from: top,
                to: bottom,
                ..*rule
            });
        } else {
            others.push(*rule);
        }
    }
    vertical.sort_by(|a, b| {
        a.from
            .0
            .total_cmp(&b.from.0)
            .then(a.from.1.total_cmp(&b.from.1))
    });
    let mut merged: Vec<crate::layout::Rule> = Vec::with_capacity(vertical.len());
    for rule in vertical {
        match merged.last_mut() {
            Some(last)
                if (last.from.0 - rule.from.0).abs() < 0.001
                    && last.thickness == rule.thickness
                    && last.ink == rule.ink
                    && rule.from.1 <= last.to.1 + 0.01 =>
            {
                if rule.to.1 > last.to.1 {
                    last.to = rule.to;
                }
            }
            _ => merged.push(rule),
        }
    }
    others.extend(merged);
    others
}

/// `/Tag <</MCID n>> BDC`, or `/Artifact <</Type /Pagination>> BDC` for a span without an
/// element (page numbers, the repeated table header).
fn begin_span(tag: &str, mcid: Option<u32>) -> Op {
    let mut properties = std::collections::BTreeMap::new();
    match mcid {
        Some(mcid) => {
            properties.insert("MCID".to_owned(), DictItem::Int(i64::from(mcid)));
        }
        None => {
            properties.insert("Type".to_owned(), DictItem::Name(b"Pagination".to_vec()));
        }
    }
    Op::BeginMarkedContentWithProperties {
        tag: tag.to_owned(),
        properties: DictItem::Dict { map: properties },
    }
}

fn page_ops(
    page: &LaidOutPage,
    marks: &PageMarks,
    structure: &DocumentStructure,
    font_ids: &[printpdf::FontId],
) -> PdfPage {
    let height = page.height;
    let flip = |y: f32| Pt(round(height - y));
    let mut ops = Vec::with_capacity(page.runs.len() * 3 + page.rules.len() * 2 + 8);
    // Rules and shading are layout, not content: an artifact that readers skip.
    ops.push(Op::BeginMarkedContent {
        tag: "Artifact".to_owned(),
    });

    for band in &page.bands {
        ops.push(Op::SetFillColor {
            col: colour(band.ink),
        });
        ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(band.area.left),
                y: flip(band.area.bottom),
                width: Pt(band.area.width()),
                height: Pt(band.area.height()),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    // Rules grouped by look, so thickness and colour are set once per group.
    let rules = merged_rules(&page.rules);
    let mut groups: HashMap<(u32, u8), Vec<&crate::layout::Rule>> = HashMap::new();
    for rule in &rules {
        let ink = match rule.ink {
            Ink::Black => 0,
            Ink::Red => 1,
            Ink::Shade => 2,
        };
        groups
            .entry((rule.thickness.to_bits(), ink))
            .or_default()
            .push(rule);
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let rules = &groups[&key];
        let first = rules[0];
        ops.push(Op::SetOutlineColor {
            col: colour(first.ink),
        });
        ops.push(Op::SetOutlineThickness {
            pt: Pt(first.thickness),
        });
        for rule in rules {
            ops.push(Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(round(rule.from.0)),
                                y: flip(rule.from.1),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(round(rule.to.0)),
                                y: flip(rule.to.1),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            });
        }
    }

    ops.push(Op::EndMarkedContent);

    if !page.runs.is_empty() {
        ops.push(Op::StartTextSection);
        let mut current_font: Option<(usize, u32)> = None;
        let mut current_ink: Option<Ink> = None;
        // Td moves relative to the start of the previous line; BT starts at the origin.
        let mut origin = (0.0f32, 0.0f32);
        let mut leading: Option<f32> = None;
        // In reading order, cell by cell, each cell (or page part of a cell) one marked-content
        // sequence: text extraction, search and screen readers get every cell's text whole,
        // instead of a table line across all cells (`reading_structure`).
        for span in &marks.spans {
            let tag = span.element.map_or("Artifact", |(element, _)| {
                structure.elements[element].role.pdf_name()
            });
            ops.push(begin_span(tag, span.element.map(|(_, mcid)| mcid)));
            for &index in &span.runs {
                let Some(run) = page.runs.get(index) else {
                    continue;
                };
                let Some(font_id) = font_ids.get(run.face) else {
                    continue;
                };
                if current_ink != Some(run.ink) {
                    ops.push(Op::SetFillColor {
                        col: colour(run.ink),
                    });
                    current_ink = Some(run.ink);
                }
                let key = (run.face, run.size.to_bits());
                if current_font != Some(key) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font_id.clone()),
                        size: Pt(run.size),
                    });
                    current_font = Some(key);
                }
                // Relative moves (Td) from the previous run's origin: printpdf writes them as
                // they are, where absolute matrices (Tm) send every glyph through a width
                // lookup.
                let x = round(run.x);
                let y = flip(run.baseline).0;
                let (dx, dy) = (round(x - origin.0), round(y - origin.1));
                // The next line of a left-aligned cell: T* with the table's line pitch as the
                // leading, instead of a Td with its two numbers.
                if dx == 0.0 && dy < 0.0 && leading.is_none() {
                    ops.push(Op::SetLineHeight { lh: Pt(-dy) });
                    leading = Some(-dy);
                }
                if dx == 0.0 && leading == Some(-dy) {
                    ops.push(Op::AddLineBreak);
                    origin = (origin.0, origin.1 + dy);
                } else {
                    ops.push(Op::SetTextCursor {
                        pos: Point { x: Pt(dx), y: Pt(dy) },
                    });
                    origin = (origin.0 + dx, origin.1 + dy);
                }
                // Glyph ids, not text: printpdf would otherwise look every character up in the
                // face's cmap again (twice), which dominated the time of a long notice. The
                // characters for /ToUnicode were given with the face (see `write_pdf`).
                let glyphs = run
                    .glyphs
                    .iter()
                    .map(|&gid| Codepoint {
                        gid,
                        offset: 0.0,
                        cid: None,
                    })
                    .collect();
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs)],
                });
            }
            ops.push(Op::EndMarkedContent);
        }
        ops.push(Op::EndTextSection);
    }

    PdfPage::new(Mm(page.width / MM), Mm(page.height / MM), ops)
}
