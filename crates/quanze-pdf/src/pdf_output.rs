//! A [`LaidOutDocument`] written as PDF: printpdf 0.12 for the document's frame (fonts subset
//! to the glyphs used, with `/W` and `/ToUnicode`, page objects, metadata), and the page
//! contents written directly (`page_content`), in parallel, with the codes printpdf's subsets
//! give the glyphs (`glyph_codes`). Glyphs come from the face's cmap, without shaping, so the
//! widths printpdf writes to `/W` are the advances the layout measured. The structure tree is
//! added on the lopdf document (`structure_tree`), then the page objects are slimmed, streams
//! compressed, and small objects packed into object streams.

use std::collections::HashMap;

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use crate::error::PdfError;
use crate::font_encoding::{encode_face, install_encoding};
use crate::glyph_codes::{probe_operations, read_probe};
use crate::layout::{LaidOutDocument, LaidOutPage, MM};
use crate::page_content::{comb_form, header_form, page_content, page_rules, FaceCodes, PageForms, RuleComb};
use crate::repeated_cells::{form_name, repeated_spans, span_blocks};
use crate::reading_structure::{document_structure, PageMarks};
use crate::structure_tree::add_structure_tree;

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
    // Each face goes in with the character of every glyph the document uses: printpdf takes a
    // glyph's character for /ToUnicode from this cache.
    let characters = glyph_characters(document);
    let mut font_ids = Vec::with_capacity(document.faces.len());
    let mut used: Vec<Vec<u16>> = Vec::with_capacity(document.faces.len());
    for (index, face) in document.faces.iter().enumerate() {
        let mut font = (**face.parsed()?).clone();
        let mut glyphs = Vec::new();
        if let Some(characters) = characters.get(index) {
            for (gid, c) in characters.iter().enumerate() {
                if let Some(c) = c {
                    let mut buffer = [0u8; 4];
                    font.cache_glyph_mapping(gid as u16, c.encode_utf8(&mut buffer));
                    glyphs.push(gid as u16);
                }
            }
        }
        used.push(glyphs);
        font_ids.push(pdf.add_font(&font));
    }
    // Pages without content for printpdf, but the first, which shows every glyph once so that
    // the subset codes can be read back (`glyph_codes`); all contents are replaced below.
    let mut pages: Vec<PdfPage> = document
        .pages
        .iter()
        .map(|page| PdfPage::new(Mm(page.width / MM), Mm(page.height / MM), Vec::new()))
        .collect();
    if let Some(first) = pages.first_mut() {
        first.ops = probe_operations(&used, &font_ids);
    }
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
    let page_ids: Vec<lopdf::ObjectId> = lopdf_document.get_pages().values().copied().collect();
    if page_ids.len() != document.pages.len() {
        let reason = warnings
            .first()
            .map(|warning| warning.msg.clone())
            .unwrap_or_else(|| format!("printpdf 写出 {} 页，应为 {} 页", page_ids.len(), document.pages.len()));
        return Err(PdfError::Serialize(reason));
    }
    let mut faces = match page_ids.first() {
        Some(&first) => read_probe(&lopdf_document, first, &used)?,
        None => Vec::new(),
    };
    frequency_encodings(&mut lopdf_document, &page_ids, document, &characters, &mut faces)?;
    let structure = document_structure(document);
    let pages_with_marks: Vec<(&LaidOutPage, &PageMarks)> =
        document.pages.iter().zip(&structure.pages).collect();
    // Repeated table headers and column rules: one form XObject per distinct one.
    let mut forms: Vec<(String, Vec<u8>)> = Vec::new();
    let mut header_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut header_names: Vec<String> = Vec::new();
    let mut combs: Vec<RuleComb> = Vec::new();
    let mut known_combs: HashMap<RuleComb, usize> = HashMap::new();
    let mut work = Vec::with_capacity(pages_with_marks.len());
    for &(page, marks) in &pages_with_marks {
        let header = header_form(page, marks, &faces).map(|(content, base)| {
            let next = header_names.len();
            let index = *header_index.entry(content.clone()).or_insert(next);
            if index == next {
                header_names.push(format!("H{index}"));
                forms.push((header_names[index].clone(), content));
            }
            (index, base)
        });
        let rules = page_rules(page, &mut combs, &mut known_combs);
        work.push((page, marks, header, rules));
    }
    let comb_names: Vec<String> = (0..combs.len()).map(|index| format!("V{index}")).collect();
    forms.extend(comb_names.iter().cloned().zip(combs.iter().map(comb_form)));
    let repeated = repeated_spans(in_parallel(&pages_with_marks, |(page, marks)| span_blocks(page, marks, &faces)));
    let cell_names: Vec<String> = (0..repeated.forms.len()).map(form_name).collect();
    forms.extend(cell_names.iter().cloned().zip(repeated.forms));
    let work: Vec<_> = work.into_iter().zip(repeated.placements).collect();
    let contents = in_parallel(&work, |((page, marks, header, rules), cells)| {
        let forms = PageForms {
            header: header.map(|(index, base)| (header_names[index].as_str(), base)),
            rules,
            comb_names: &comb_names,
            cells,
            cell_names: &cell_names,
        };
        compressed(page_content(page, marks, &structure, &faces, &forms))
    });
    replace_page_contents(&mut lopdf_document, &page_ids, contents);
    add_forms(&mut lopdf_document, &page_ids, forms, document)?;
    add_structure_tree(&mut lopdf_document, &structure)?;
    slim_page_objects(&mut lopdf_document, &page_ids);
    compress_streams(&mut lopdf_document);
    let bytes = crate::pdf_file::serialize(&lopdf_document)?;
    Ok(bytes)
}

/// Each page's content stream becomes its written content (already compressed when that is
/// shorter: `Some(deflated)`).
fn replace_page_contents(
    document: &mut lopdf::Document,
    page_ids: &[lopdf::ObjectId],
    contents: Vec<(Vec<u8>, bool)>,
) {
    for (&page_id, (content, deflated)) in page_ids.iter().zip(contents) {
        let mut dictionary = lopdf::Dictionary::new();
        if deflated {
            dictionary.set("Filter", "FlateDecode");
        }
        let mut stream = lopdf::Stream::new(dictionary, content);
        // Compressed here already (or left raw on purpose): lopdf must not compress it again.
        stream.allows_compression = false;
        let stream_ids = document.get_page_contents(page_id);
        match stream_ids.first() {
            Some(&stream_id) => {
                for &extra in &stream_ids[1..] {
                    document.objects.remove(&extra);
                }
                document.objects.insert(stream_id, lopdf::Object::Stream(stream));
                if let Ok(page) = document.get_dictionary_mut(page_id) {
                    page.set("Contents", lopdf::Object::Reference(stream_id));
                }
            }
            None => {
                let stream_id = document.add_object(stream);
                if let Ok(page) = document.get_dictionary_mut(page_id) {
                    page.set("Contents", lopdf::Object::Reference(stream_id));
                }
            }
        }
    }
}

/// Gives each face one-byte codes for its most used glyphs (`font_encoding`): installs the
/// CMaps on the fonts and puts the new codes in `faces`.
fn frequency_encodings(
    document: &mut lopdf::Document,
    page_ids: &[lopdf::ObjectId],
    laid_out: &LaidOutDocument,
    characters: &[Vec<Option<char>>],
    faces: &mut [FaceCodes],
) -> Result<(), PdfError> {
    let Some(&first) = page_ids.first() else {
        return Ok(());
    };
    let missing = || PdfError::Serialize("页面字体资源缺失".to_owned());
    let fonts = {
        let resources = document
            .get_dictionary(first)
            .and_then(|page| page.get(b"Resources"))
            .and_then(|resources| match resources {
                lopdf::Object::Reference(id) => document.get_dictionary(*id),
                other => other.as_dict(),
            })
            .map_err(|_| missing())?;
        resources
            .get(b"Font")
            .and_then(lopdf::Object::as_reference)
            .map_err(|_| missing())?
    };
    // printpdf names fonts with 32 random letters, written at every change of font on every
    // page: the resources become F0, F1… by face.
    let fonts = {
        let dictionary = document.get_dictionary_mut(fonts).map_err(|_| missing())?;
        let mut renamed = lopdf::Dictionary::new();
        for (index, face) in faces.iter_mut().enumerate() {
            if face.resource_name.is_empty() {
                continue;
            }
            let font = dictionary
                .get(face.resource_name.as_bytes())
                .map_err(|_| missing())?
                .clone();
            face.resource_name = format!("F{index}");
            renamed.set(face.resource_name.clone(), font);
        }
        *dictionary = renamed.clone();
        renamed
    };
    for (index, face) in faces.iter_mut().enumerate() {
        if face.resource_name.is_empty() {
            continue;
        }
        let font_id = fonts
            .get(face.resource_name.as_bytes())
            .and_then(lopdf::Object::as_reference)
            .map_err(|_| missing())?;
        let cids: Vec<Option<u16>> = face
            .codes
            .iter()
            .map(|code| code.map(|code| code.value))
            .collect();
        let empty = Vec::new();
        let face_characters = characters.get(index).unwrap_or(&empty);
        let encoding = encode_face(laid_out, index, &cids, face_characters);
        install_encoding(document, font_id, &encoding, &format!("Quanze-F{index}"))?;
        face.codes = encoding.codes;
    }
    Ok(())
}

/// Adds the form XObjects (name, content) to the resources the pages share, with the pages'
/// fonts as their own resources.
fn add_forms(
    document: &mut lopdf::Document,
    page_ids: &[lopdf::ObjectId],
    forms: Vec<(String, Vec<u8>)>,
    laid_out: &LaidOutDocument,
) -> Result<(), PdfError> {
    use lopdf::Object;
    if forms.is_empty() {
        return Ok(());
    }
    let failure = || PdfError::Serialize("页面资源字典缺失，无法加入重复表头".to_owned());
    let resources_id = page_ids
        .first()
        .and_then(|&first| document.get_dictionary(first).ok())
        .and_then(|page| page.get(b"Resources").ok())
        .and_then(|resources| resources.as_reference().ok())
        .ok_or_else(failure)?;
    let resources = document.get_dictionary(resources_id).map_err(|_| failure())?;
    let fonts = resources.get(b"Font").map_err(|_| failure())?.clone();
    let xobjects_id = resources
        .get(b"XObject")
        .ok()
        .and_then(|xobjects| xobjects.as_reference().ok());
    // The form's box: wide enough for a header placed anywhere on the largest page, and for a
    // repeated cell's lines on either side of its first glyph.
    let extent = laid_out
        .pages
        .iter()
        .map(|page| page.width.max(page.height))
        .fold(0.0f32, f32::max)
        .ceil() as i64;
    let mut entries = Vec::with_capacity(forms.len());
    for (name, content) in forms {
        let mut dictionary = lopdf::Dictionary::new();
        dictionary.set("Type", Object::Name(b"XObject".to_vec()));
        dictionary.set("Subtype", Object::Name(b"Form".to_vec()));
        dictionary.set(
            "BBox",
            Object::Array(vec![(-extent).into(), (-extent).into(), extent.into(), extent.into()]),
        );
        let mut own_resources = lopdf::Dictionary::new();
        own_resources.set("Font", fonts.clone());
        dictionary.set("Resources", Object::Dictionary(own_resources));
        let (content, deflated) = compressed(content);
        if deflated {
            dictionary.set("Filter", "FlateDecode");
        }
        let mut stream = lopdf::Stream::new(dictionary, content);
        stream.allows_compression = false;
        let id = document.add_object(stream);
        entries.push((name, Object::Reference(id)));
    }
    let xobjects = match xobjects_id {
        Some(id) => document.get_dictionary_mut(id).map_err(|_| failure())?,
        None => {
            let id = document.add_object(lopdf::Dictionary::new());
            document
                .get_dictionary_mut(resources_id)
                .map_err(|_| failure())?
                .set("XObject", Object::Reference(id));
            document.get_dictionary_mut(id).map_err(|_| failure())?
        }
    };
    for (name, reference) in entries {
        xobjects.set(name.into_bytes(), reference);
    }
    Ok(())
}

/// Page objects as small as they can be for thousands of pages: one resource dictionary for
/// all (printpdf writes one per page, each pointing at the same shared dictionaries), no
/// `/TrimBox` and `/CropBox` equal to the `/MediaBox` (their default), no empty `/Annots`.
fn slim_page_objects(document: &mut lopdf::Document, page_ids: &[lopdf::ObjectId]) {
    let shared = page_ids.first().and_then(|&first| {
        document
            .get_dictionary(first)
            .ok()
            .and_then(|page| page.get(b"Resources").ok())
            .and_then(|resources| resources.as_reference().ok())
    });
    for &page_id in page_ids {
        let Ok(page) = document.get_dictionary_mut(page_id) else {
            continue;
        };
        let media_box = page.get(b"MediaBox").ok().cloned();
        for key in [&b"TrimBox"[..], b"CropBox"] {
            if media_box.is_some() && page.get(key).ok() == media_box.as_ref() {
                page.remove(key);
            }
        }
        if matches!(page.get(b"Annots"), Ok(lopdf::Object::Array(annotations)) if annotations.is_empty()) {
            page.remove(b"Annots");
        }
        let Some(shared) = shared else {
            continue;
        };
        let own = page
            .get(b"Resources")
            .ok()
            .and_then(|resources| resources.as_reference().ok());
        if let Some(own) = own.filter(|&own| own != shared) {
            page.set("Resources", lopdf::Object::Reference(shared));
            document.objects.remove(&own);
        }
    }
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
pub(crate) fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
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

/// Deflates every stream that is not compressed yet (the subset font programs and the like;
/// printpdf marks what must stay raw), on a few threads.
fn compress_streams(document: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = document
        .objects
        .values_mut()
        .filter_map(|object| match object {
            lopdf::Object::Stream(stream)
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() =>
            {
                Some(stream)
            }
            _ => None,
        })
        .collect();
    let workers = worker_count();
    let chunk = streams.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        for part in streams.chunks_mut(chunk) {
            scope.spawn(move || {
                for stream in part.iter_mut() {
                    let (content, deflated) = compressed(std::mem::take(&mut stream.content));
                    if deflated {
                        stream.dict.set("Filter", "FlateDecode");
                    }
                    stream.set_content(content);
                }
            });
        }
    });
}

/// `content` deflated at zlib's default level, or as it was when that is not shorter; and
/// whether it was deflated.
fn compressed(content: Vec<u8>) -> (Vec<u8>, bool) {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(content.len() / 3),
        flate2::Compression::new(6),
    );
    if encoder.write_all(&content).is_err() {
        return (content, false);
    }
    match encoder.finish() {
        Ok(deflated) if deflated.len() + 19 < content.len() => (deflated, true),
        _ => (content, false),
    }
}
