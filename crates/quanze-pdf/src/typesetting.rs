//! From text to measured, face-resolved pieces: cleaning untrusted cell text, choosing the face
//! of every character along its role's chain (per-character fallback), measuring, and cutting a
//! line into runs of one face each.
//!
//! Resolution is cached per (role, character), so a 5,000-row table resolves each distinct
//! character once; the width of a line is then a sum of cached advances, never a re-shaping.

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::PdfError;
use crate::fonts::{FontFace, FontRole, FontSet, MissingGlyphs};

/// What to do with a character that no installed face has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MissingGlyphPolicy {
    /// Refuse to render, listing the characters (a notice must not silently lose text).
    #[default]
    Refuse,
    /// Print the character's code point in brackets, e.g. "[U+1F600]", so that nothing is
    /// lost and the reader sees where a character is.
    ShowCodePoint,
}

/// A face and the advance of one character in it, in em.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    face: u16,
    glyph: u16,
    advance_em: f32,
}

/// A piece of one line set in one face.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FaceRun {
    pub face: usize,
    pub text: String,
    /// The glyph of each character of `text`, in the face.
    pub glyphs: Vec<u16>,
    /// Offset of the run from the start of its line.
    pub x_em: f32,
    pub width_em: f32,
}

pub(crate) struct Typesetter<'f> {
    fonts: &'f FontSet,
    /// The faces this document uses, in order of first use; runs refer to them by index.
    faces: Vec<Arc<FontFace>>,
    /// Resolutions of Basic Multilingual Plane characters, per role, indexed by code point
    /// (allocated on a role's first use): each character of a long table is looked up four
    /// or five times, and hashing was a tenth of the time.
    bmp: [Vec<Option<Option<Resolved>>>; 4],
    cache: HashMap<(FontRole, char), Option<Resolved>>,
    last_resort: HashMap<char, Option<Arc<FontFace>>>,
    missing: MissingGlyphs,
    policy: MissingGlyphPolicy,
}

/// Characters that are not printed at all: they have no visible form (zero-width space, word
/// joiner, byte-order mark, soft hyphen) or only select a variant that this simple typesetter
/// does not shape (variation selectors).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn role_slot(role: FontRole) -> usize {
    match role {
        FontRole::Title => 0,
        FontRole::Body => 1,
        FontRole::Heading => 2,
        FontRole::Kai => 3,
    }
}

impl<'f> Typesetter<'f> {
    pub(crate) fn new(fonts: &'f FontSet, policy: MissingGlyphPolicy) -> Self {
        Self {
            fonts,
            faces: Vec::new(),
            bmp: Default::default(),
            cache: HashMap::new(),
            last_resort: HashMap::new(),
            missing: MissingGlyphs::default(),
            policy,
        }
    }

    pub(crate) fn into_faces(self) -> Result<Vec<Arc<FontFace>>, PdfError> {
        if let Some(error) = self.missing.into_error() {
            return Err(error);
        }
        Ok(self.faces)
    }

    fn slot_of(&mut self, face: &Arc<FontFace>) -> u16 {
        if let Some(index) = self.faces.iter().position(|known| Arc::ptr_eq(known, face)) {
            return index as u16;
        }
        self.faces.push(Arc::clone(face));
        (self.faces.len() - 1) as u16
    }

    fn resolve(&mut self, role: FontRole, c: char) -> Option<Resolved> {
        let code = c as usize;
        if code < 0x1_0000 {
            let table = &mut self.bmp[role_slot(role)];
            if table.is_empty() {
                table.resize(0x1_0000, None);
            }
            if let Some(resolved) = table[code] {
                return resolved;
            }
            let resolved = self.resolve_uncached(role, c);
            self.bmp[role_slot(role)][code] = Some(resolved);
            return resolved;
        }
        if let Some(resolved) = self.cache.get(&(role, c)) {
            return *resolved;
        }
        let resolved = self.resolve_uncached(role, c);
        self.cache.insert((role, c), resolved);
        resolved
    }

    fn resolve_uncached(&mut self, role: FontRole, c: char) -> Option<Resolved> {
        let mut found: Option<(Arc<FontFace>, (u16, f32))> = None;
        for face in self.fonts.chain(role) {
            // A face that fails to parse is skipped like one without the glyph.
            if let Ok(Some(glyph)) = face.glyph(c) {
                found = Some((Arc::clone(face), glyph));
                break;
            }
        }
        if found.is_none() {
            let fonts = self.fonts;
            let face = self
                .last_resort
                .entry(c)
                .or_insert_with(|| fonts.last_resort_face(c))
                .clone();
            if let Some(face) = face {
                if let Ok(Some(glyph)) = face.glyph(c) {
                    found = Some((face, glyph));
                }
            }
        }
        found.map(|(face, (glyph, advance_em))| Resolved {
            face: self.slot_of(&face),
            glyph,
            advance_em,
        })
    }

    /// Cleans untrusted text for printing: CR LF and CR become LF (a line break inside a
    /// cell), tabs and other control characters become spaces, invisible characters go, and
    /// every remaining character is checked for a glyph in `role`'s chain. `single_line` turns
    /// line feeds into spaces too (titles of posters, page furniture).
    pub(crate) fn clean(
        &mut self,
        role: FontRole,
        text: &str,
        single_line: bool,
        context: &str,
    ) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let c = match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    '\n'
                }
                c if is_invisible(c) => continue,
                '\n' => '\n',
                c if c.is_control() => ' ',
                '\u{2028}' | '\u{2029}' => '\n',
                c => c,
            };
            let c = if c == '\n' && single_line { ' ' } else { c };
            if c == '\n' || c == ' ' {
                out.push(c);
                continue;
            }
            if self.resolve(role, c).is_some() {
                out.push(c);
                continue;
            }
            match self.policy {
                MissingGlyphPolicy::Refuse => {
                    self.missing.note(c, context);
                    out.push(c);
                }
                MissingGlyphPolicy::ShowCodePoint => {
                    out.push_str(&format!("[U+{:04X}]", c as u32));
                }
            }
        }
        // Blank lines at the ends of a cell are noise from spreadsheets.
        let trimmed = out.trim_matches(|c: char| c == '\n' || c == ' ' || c == '\u{3000}');
        if trimmed.len() == out.len() {
            out
        } else {
            trimmed.to_owned()
        }
    }

    /// Advance of `c` in em; 0 for a character without a glyph (already reported by `clean`).
    pub(crate) fn advance_em(&mut self, role: FontRole, c: char) -> f32 {
        if c == ' ' {
            // The space of the face that sets Latin text; half an em is what CJK faces use.
            return self
                .resolve(role, ' ')
                .map_or(0.5, |resolved| resolved.advance_em);
        }
        self.resolve(role, c)
            .map_or(0.0, |resolved| resolved.advance_em)
    }

    /// Width of `text` in em.
    pub(crate) fn width_em(&mut self, role: FontRole, text: &str) -> f32 {
        text.chars().map(|c| self.advance_em(role, c)).sum()
    }

    /// Cuts one line into runs of one face each, positioned from the line start. A space
    /// ends a run, so each run is placed where the measurement put it, whatever space
    /// advance its face has.
    pub(crate) fn face_runs(&mut self, role: FontRole, line: &str) -> Vec<FaceRun> {
        let mut runs: Vec<FaceRun> = Vec::new();
        let mut pen = 0.0f32;
        let mut open = false;
        for c in line.chars() {
            let advance = self.advance_em(role, c);
            if c == ' ' || c == '\u{3000}' {
                pen += advance;
                open = false;
                continue;
            }
            let Some(resolved) = self.resolve(role, c) else {
                continue;
            };
            match runs.last_mut() {
                Some(run) if open && run.face == usize::from(resolved.face) => {
                    run.text.push(c);
                    run.glyphs.push(resolved.glyph);
                    run.width_em += advance;
                }
                _ => {
                    runs.push(FaceRun {
                        face: usize::from(resolved.face),
                        text: c.to_string(),
                        glyphs: vec![resolved.glyph],
                        x_em: pen,
                        width_em: advance,
                    });
                    open = true;
                }
            }
            pen += advance;
        }
        runs
    }
}
