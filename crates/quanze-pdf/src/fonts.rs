//! Finding the faces a notice is set in, and choosing a face for every character.
//!
//! GB/T 9704 names faces that free systems rarely have (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体).
//! Each [`FontRole`] therefore has a chain: the official faces first, then the free CJK faces
//! (Noto Serif/Sans CJK SC, WenQuanYi, AR PL) that are installed on almost every Linux desktop.
//! A character is set in the first face of its role's chain that has a glyph for it, so one rare
//! character does not turn into a box (the "tofu" a viewer draws for a missing glyph), and a
//! character that no chain face has is searched for in every installed face before giving up.
//!
//! Faces are looked up by family name with `fontdb`, never by file name or collection index:
//! `NotoSerifCJK-Regular.ttc` holds the SC, TC, HK, JP and KR faces, and their order differs
//! between distributions. Face data is read and parsed only when a face is first used, and the
//! parse is kept for the life of the [`FontSet`], so a batch of posters parses each face once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

use crate::error::PdfError;

/// What a run of text is used for; each role has its own chain of faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontRole {
    /// 标题 and 发文机关标志: 小标宋.
    Title,
    /// 正文, table cells, page numbers: 仿宋.
    Body,
    /// "一、" headings and table headers: 黑体.
    Heading,
    /// "（一）" headings and notes: 楷体.
    Kai,
}

impl FontRole {
    pub const ALL: [FontRole; 4] = [
        FontRole::Title,
        FontRole::Body,
        FontRole::Heading,
        FontRole::Kai,
    ];

    fn index(self) -> usize {
        match self {
            FontRole::Title => 0,
            FontRole::Body => 1,
            FontRole::Heading => 2,
            FontRole::Kai => 3,
        }
    }

    /// The Chinese name of the face the standard asks for.
    pub fn standard_face(self) -> &'static str {
        match self {
            FontRole::Title => "小标宋",
            FontRole::Body => "仿宋",
            FontRole::Heading => "黑体",
            FontRole::Kai => "楷体",
        }
    }
}

/// The official faces of each role, in order of preference. Names are compared ignoring case
/// and spaces, against every localized family name a face declares.
fn official_families(role: FontRole) -> &'static [&'static str] {
    match role {
        FontRole::Title => &[
            "方正小标宋简体",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05S",
            "FZXiaoBiaoSong-B05",
            "FZXBSJW--GB1-0",
            "小标宋",
            "华文中宋",
            "STZhongsong",
        ],
        FontRole::Body => &[
            "仿宋_GB2312",
            "FangSong_GB2312",
            "仿宋",
            "FangSong",
            "方正仿宋_GBK",
            "方正仿宋简体",
            "FZFangSong-Z02S",
            "华文仿宋",
            "STFangsong",
        ],
        FontRole::Heading => &[
            "黑体",
            "SimHei",
            "方正黑体_GBK",
            "方正黑体简体",
            "FZHei-B01S",
            "华文黑体",
            "STHeiti",
        ],
        FontRole::Kai => &[
            "楷体_GB2312",
            "KaiTi_GB2312",
            "楷体",
            "KaiTi",
            "方正楷体_GBK",
            "方正楷体简体",
            "FZKai-Z03S",
            "华文楷体",
            "STKaiti",
            "AR PL UKai CN",
        ],
    }
}

/// Free faces closest to each role, with the weight wanted. 小标宋 is a heavy Song face, so
/// the title prefers the bold serif; 黑体 is a sans.
fn free_families(role: FontRole) -> &'static [(&'static str, u16)] {
    match role {
        FontRole::Title => &[
            ("Noto Serif CJK SC", 700),
            ("Source Han Serif SC", 700),
            ("Noto Serif SC", 700),
            ("Noto Sans CJK SC", 700),
        ],
        FontRole::Body | FontRole::Kai => &[
            ("Noto Serif CJK SC", 400),
            ("Source Han Serif SC", 400),
            ("Noto Serif SC", 400),
            ("AR PL UMing CN", 400),
        ],
        FontRole::Heading => &[
            ("Noto Sans CJK SC", 700),
            ("Source Han Sans SC", 700),
            ("Noto Sans SC", 700),
            ("Noto Sans CJK SC", 400),
        ],
    }
}

/// Faces every chain ends with, for characters the role's own faces lack: CJK faces of other
/// regions carry rare characters, DejaVu carries symbols and Latin.
const SHARED_FALLBACK: &[(&str, u16)] = &[
    ("Noto Serif CJK SC", 400),
    ("Noto Sans CJK SC", 400),
    ("Source Han Sans SC", 400),
    ("WenQuanYi Micro Hei", 400),
    ("WenQuanYi Zen Hei", 400),
    ("AR PL UMing CN", 400),
    ("Noto Serif CJK TC", 400),
    ("Noto Sans CJK TC", 400),
    ("Noto Serif CJK JP", 400),
    ("Noto Sans CJK JP", 400),
    ("Noto Serif CJK KR", 400),
    ("Noto Sans CJK KR", 400),
    ("DejaVu Serif", 400),
    ("DejaVu Sans", 400),
];

/// Faces never chosen by family: Droid Sans Fallback has no Latin digits (and no ¥), so a
/// notice set in it would take every number from another face. It may still supply a rare
/// character through the last-resort scan.
const AVOIDED_FAMILIES: &[&str] = &["Droid Sans Fallback", "DroidSansFallback"];

/// Characters a face must have to count as a Chinese face at all.
const CJK_PROBE: &str = "中华人民共和国权责清单事项";

fn family_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One face of one font file, parsed on first use.
pub struct FontFace {
    family: String,
    path: PathBuf,
    index: u32,
    weight: u16,
    parsed: OnceLock<Result<Arc<ParsedFont>, String>>,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("family", &self.family)
            .field("path", &self.path)
            .field("index", &self.index)
            .field("weight", &self.weight)
            .finish()
    }
}

impl FontFace {
    fn new(family: String, path: PathBuf, index: u32, weight: u16) -> Self {
        Self {
            family,
            path,
            index,
            weight,
            parsed: OnceLock::new(),
        }
    }

    /// The family name (English when the face has one).
    pub fn family(&self) -> &str {
        &self.family
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Index of the face inside a collection (`.ttc`); 0 for a single-face file.
    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn weight(&self) -> u16 {
        self.weight
    }

    /// The parsed face, reading and parsing the file on first use.
    pub fn parsed(&self) -> Result<&Arc<ParsedFont>, PdfError> {
        let parsed = self.parsed.get_or_init(|| {
            let bytes = std::fs::read(&self.path).map_err(|error| error.to_string())?;
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(&bytes, self.index as usize, &mut warnings)
                .map(Arc::new)
                .ok_or_else(|| {
                    let first = warnings
                        .first()
                        .map(|warning| format!("{warning:?}"))
                        .unwrap_or_else(|| "不是可识别的 TrueType/OpenType 字体".to_owned());
                    first
                })
        });
        parsed.as_ref().map_err(|reason| PdfError::FontUnparsable {
            family: self.family.clone(),
            path: self.path.clone(),
            index: self.index,
            reason: reason.clone(),
        })
    }

    /// The glyph of `c` and its advance in em, or `None` when the face has no glyph for it.
    pub(crate) fn glyph(&self, c: char) -> Result<Option<(u16, f32)>, PdfError> {
        let face = self.parsed()?;
        let Some(gid) = face.lookup_glyph_index(c as u32) else {
            return Ok(None);
        };
        if gid == 0 {
            return Ok(None);
        }
        let units = f32::from(face.pdf_font_metrics.units_per_em.max(1));
        Ok(Some((
            gid,
            f32::from(face.get_horizontal_advance(gid)) / units,
        )))
    }
}

/// The faces found on this machine (and the one set in settings), with a chain per role.
///
/// Cheap to share: the api keeps one and passes it to every render.
pub struct FontSet {
    faces: Vec<Arc<FontFace>>,
    chains: [Vec<usize>; 4],
    /// Every installed face, for the last-resort search of a rare character.
    database: fontdb::Database,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("faces", &self.faces)
            .field("chains", &self.chains)
            .finish()
    }
}

/// Which face a role uses first, for reports ("正文：Noto Serif CJK SC（替代仿宋）").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFace {
    pub role: FontRole,
    pub family: String,
    /// True when the face is one the standard names (or the one set in settings), false for
    /// a free substitute.
    pub official: bool,
}

impl FontSet {
    /// Finds the installed faces (and the font file set in settings, which comes first for body
    /// text). Fails with [`PdfError::NoCjkFont`] when no installed face can set Chinese.
    pub fn discover(settings_font_file: Option<&Path>) -> Result<FontSet, PdfError> {
        let mut database = fontdb::Database::new();
        database.load_system_fonts();
        Self::from_database(database, settings_font_file)
    }

    /// Like [`FontSet::discover`] but only with the given font files (tests, and machines whose
    /// fonts live in a folder of their own).
    pub fn from_files(files: &[&Path]) -> Result<FontSet, PdfError> {
        let mut database = fontdb::Database::new();
        for file in files {
            load_font_file(&mut database, file)?;
        }
        Self::from_database(database, None)
    }

    fn from_database(
        mut database: fontdb::Database,
        settings_font_file: Option<&Path>,
    ) -> Result<FontSet, PdfError> {
        let mut faces: Vec<Arc<FontFace>> = Vec::new();
        let mut chains: [Vec<usize>; 4] = Default::default();

        let settings_face = match settings_font_file {
            Some(path) => {
                let ids = load_font_file(&mut database, path)?;
                Some(pick_settings_face(&database, &ids, path)?)
            }
            None => None,
        };

        // Faces are probed with ttf-parser (cheap, memory-mapped) here; the full parse that
        // embedding needs waits until a face is used.
        let mut sets_chinese: Vec<bool> = Vec::new();
        let mut face_index_of = |info: &fontdb::FaceInfo, faces: &mut Vec<Arc<FontFace>>| {
            if let Some(existing) = faces.iter().position(|face| {
                face_source_path(&info.source).as_deref() == Some(face.path.as_path())
                    && face.index == info.index
            }) {
                return Some(existing);
            }
            let path = face_source_path(&info.source)?;
            let chinese = with_ttf_face(&database, info.id, |face| {
                CJK_PROBE.chars().all(|c| face.glyph_index(c).is_some())
            })?;
            let family = info
                .families
                .first()
                .map(|(name, _)| name.clone())
                .unwrap_or_else(|| info.post_script_name.clone());
            faces.push(Arc::new(FontFace::new(
                family,
                path,
                info.index,
                info.weight.0,
            )));
            sets_chinese.push(chinese);
            Some(faces.len() - 1)
        };

        for role in FontRole::ALL {
            let chain = &mut chains[role.index()];
            let mut push = |index: Option<usize>| {
                if let Some(index) = index {
                    if !chain.contains(&index) {
                        chain.push(index);
                    }
                }
            };
            if role == FontRole::Body {
                if let Some(info) = &settings_face {
                    push(face_index_of(info, &mut faces));
                }
            }
            for family in official_families(role) {
                if let Some(info) = best_face(&database, family, 400) {
                    push(face_index_of(info, &mut faces));
                }
            }
            if role != FontRole::Body {
                if let Some(info) = &settings_face {
                    push(face_index_of(info, &mut faces));
                }
            }
            if role == FontRole::Kai {
                // 楷体 missing: the body face reads better than a sans.
                for family in official_families(FontRole::Body) {
                    if let Some(info) = best_face(&database, family, 400) {
                        push(face_index_of(info, &mut faces));
                    }
                }
            }
            for (family, weight) in free_families(role).iter().chain(SHARED_FALLBACK) {
                if let Some(info) = best_face(&database, family, *weight) {
                    push(face_index_of(info, &mut faces));
                }
            }
        }

        let mut set = FontSet {
            faces,
            chains,
            database,
        };
        if !sets_chinese.iter().any(|&chinese| chinese) {
            set.adopt_any_chinese_face()?;
        }
        Ok(set)
    }

    /// Nothing found by family sets Chinese: any installed face that does will do, even one we
    /// avoid by name, rather than refusing to print.
    fn adopt_any_chinese_face(&mut self) -> Result<(), PdfError> {
        let found = self.database.faces().find(|info| {
            with_ttf_face(&self.database, info.id, |face| {
                CJK_PROBE.chars().all(|c| face.glyph_index(c).is_some())
            })
            .unwrap_or(false)
        });
        let info = found.ok_or(PdfError::NoCjkFont)?;
        let path = face_source_path(&info.source).ok_or(PdfError::NoCjkFont)?;
        let family = info
            .families
            .first()
            .map(|(name, _)| name.clone())
            .unwrap_or_default();
        self.faces.push(Arc::new(FontFace::new(
            family,
            path,
            info.index,
            info.weight.0,
        )));
        let index = self.faces.len() - 1;
        for chain in &mut self.chains {
            chain.insert(0, index);
        }
        Ok(())
    }

    /// The faces of a role's chain, best first.
    pub fn chain(&self, role: FontRole) -> impl Iterator<Item = &Arc<FontFace>> + '_ {
        self.chains[role.index()]
            .iter()
            .filter_map(|&index| self.faces.get(index))
    }

    /// The first face of every role, for a report of what the notice will be set in.
    pub fn primary_faces(&self) -> Vec<RoleFace> {
        FontRole::ALL
            .iter()
            .filter_map(|&role| {
                let face = self.chain(role).next()?;
                let key = family_key(&face.family);
                let official = official_families(role)
                    .iter()
                    .any(|name| family_key(name) == key)
                    || !free_families(role)
                        .iter()
                        .chain(SHARED_FALLBACK)
                        .any(|(name, _)| family_key(name) == key);
                Some(RoleFace {
                    role,
                    family: face.family.clone(),
                    official,
                })
            })
            .collect()
    }

    /// Every installed face that has a glyph for `c`, in database order, for a character that
    /// no chain face has. Returns a face that is not part of any chain.
    pub(crate) fn last_resort_face(&self, c: char) -> Option<Arc<FontFace>> {
        self.database.faces().find_map(|info| {
            let has = with_ttf_face(&self.database, info.id, |face| {
                face.glyph_index(c).is_some_and(|gid| gid.0 != 0)
            })?;
            if !has {
                return None;
            }
            let path = face_source_path(&info.source)?;
            let family = info
                .families
                .first()
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            let face = Arc::new(FontFace::new(family, path, info.index, info.weight.0));
            face.parsed().ok()?;
            Some(face)
        })
    }
}

fn face_source_path(source: &fontdb::Source) -> Option<PathBuf> {
    match source {
        fontdb::Source::File(path) => Some(path.clone()),
        fontdb::Source::SharedFile(path, _) => Some(path.clone()),
        fontdb::Source::Binary(_) => None,
    }
}

fn with_ttf_face<T>(
    database: &fontdb::Database,
    id: fontdb::ID,
    read: impl FnOnce(&ttf_parser::Face<'_>) -> T,
) -> Option<T> {
    database.with_face_data(id, |data, index| {
        ttf_parser::Face::parse(data, index)
            .ok()
            .map(|face| read(&face))
    })?
}

fn load_font_file(
    database: &mut fontdb::Database,
    path: &Path,
) -> Result<Vec<fontdb::ID>, PdfError> {
    let metadata = std::fs::metadata(path).map_err(|error| PdfError::FontFileUnreadable {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    if !metadata.is_file() {
        return Err(PdfError::FontFileUnreadable {
            path: path.to_owned(),
            reason: "不是文件".to_owned(),
        });
    }
    let ids = database.load_font_source(fontdb::Source::File(path.to_owned()));
    if ids.is_empty() {
        return Err(PdfError::FontFileUnreadable {
            path: path.to_owned(),
            reason: "不是可识别的 TrueType/OpenType 字体（.ttf、.otf、.ttc）".to_owned(),
        });
    }
    Ok(ids.to_vec())
}

/// The face of a settings font file to use: one that sets Chinese, the Simplified Chinese one
/// when the file is a collection (Noto/Source Han `.ttc`), whatever its index.
fn pick_settings_face(
    database: &fontdb::Database,
    ids: &[fontdb::ID],
    path: &Path,
) -> Result<fontdb::FaceInfo, PdfError> {
    let chinese: Vec<&fontdb::FaceInfo> = ids
        .iter()
        .filter_map(|&id| database.face(id))
        .filter(|info| {
            with_ttf_face(database, info.id, |face| {
                CJK_PROBE.chars().all(|c| face.glyph_index(c).is_some())
            })
            .unwrap_or(false)
        })
        .collect();
    let simplified = chinese.iter().find(|info| {
        info.families.iter().any(|(name, _)| {
            let key = family_key(name);
            key.ends_with("sc") || key.contains("简") || key.contains("gb")
        })
    });
    match simplified.or(chinese.first()) {
        Some(info) => Ok((*info).clone()),
        None => Err(PdfError::FontFileNotCjk {
            path: path.to_owned(),
            reason: "字体中没有常用汉字".to_owned(),
        }),
    }
}

/// The installed face of `family` whose weight is closest to `weight`, upright preferred.
fn best_face<'d>(
    database: &'d fontdb::Database,
    family: &str,
    weight: u16,
) -> Option<&'d fontdb::FaceInfo> {
    let wanted = family_key(family);
    if AVOIDED_FAMILIES
        .iter()
        .any(|avoided| family_key(avoided) == wanted)
    {
        return None;
    }
    database
        .faces()
        .filter(|info| {
            info.families
                .iter()
                .any(|(name, _)| family_key(name) == wanted)
                && !info.families.iter().any(|(name, _)| {
                    AVOIDED_FAMILIES
                        .iter()
                        .any(|avoided| family_key(avoided) == family_key(name))
                })
        })
        .min_by_key(|info| {
            let italic = u32::from(info.style != fontdb::Style::Normal);
            (italic, u32::from(info.weight.0.abs_diff(weight)))
        })
}

/// Characters seen without a glyph anywhere, kept while laying out so that the error lists
/// them all at once.
#[derive(Debug, Default)]
pub(crate) struct MissingGlyphs {
    chars: Vec<char>,
    seen: HashSet<char>,
    context: Option<String>,
}

impl MissingGlyphs {
    pub(crate) fn note(&mut self, c: char, context: &str) {
        if self.seen.insert(c) {
            self.chars.push(c);
        }
        if self.context.is_none() {
            let excerpt: String = context.chars().take(40).collect();
            self.context = Some(format!("“{excerpt}”"));
        }
    }

    pub(crate) fn into_error(self) -> Option<PdfError> {
        if self.chars.is_empty() {
            return None;
        }
        let chars = self
            .chars
            .iter()
            .take(20)
            .map(|c| format!("“{c}”（U+{:04X}）", *c as u32))
            .collect::<Vec<_>>()
            .join("、");
        Some(PdfError::MissingGlyphs {
            chars,
            context: self.context.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_compare_without_case_or_spaces() {
        assert_eq!(
            family_key("Noto Serif CJK SC"),
            family_key("notoserifcjksc")
        );
        assert_ne!(
            family_key("Noto Serif CJK SC"),
            family_key("Noto Serif CJK TC")
        );
    }

    #[test]
    fn droid_sans_fallback_is_never_chosen_by_family() {
        let database = fontdb::Database::new();
        assert!(best_face(&database, "Droid Sans Fallback", 400).is_none());
    }

    #[test]
    fn missing_glyphs_are_listed_once_with_their_code_points() {
        let mut missing = MissingGlyphs::default();
        missing.note('\u{E000}', "第一个单元格");
        missing.note('\u{E000}', "第二个单元格");
        let Some(PdfError::MissingGlyphs { chars, context }) = missing.into_error() else {
            panic!("a missing glyph must become an error");
        };
        assert_eq!(chars.matches("U+E000").count(), 1);
        assert!(context.contains("第一个单元格"));
    }
}

/// The api keeps one `FontSet` in its state, shared between threads.
#[cfg(test)]
mod thread_safety {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_font_set_can_be_shared_between_threads() {
        assert_send_sync::<super::FontSet>();
    }
}
