//! Text normalization and similarity for comparing duties.
//!
//! Chinese has no spaces, so duties are compared as sets of character n-grams of their
//! normalized names, each n-gram weighted by how rare it is in the group compared (IDF), so
//! that the shared template of a list ("对…未按规定…的处罚") does not make two different duties
//! look alike. Near-duplicates are found with a weighted prefix-filtered set-similarity join
//! ([`similar_pairs`]), which is exact — no pair above the threshold is missed — without
//! comparing all pairs; [`similar_pairs_brute_force`] is the reference it is measured against.

use std::collections::HashMap;

use crate::pack::NormalizeRules;

/// Fold full-width forms to half-width, drop whitespace and punctuation, lowercase Latin,
/// apply synonyms, strip trivial suffixes.
pub fn normalize(text: &str, rules: &NormalizeRules) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_whitespace() || is_punctuation(c) {
            continue;
        }
        out.push(c.to_ascii_lowercase());
    }
    for pair in &rules.synonyms {
        if let Some((canonical, others)) = pair.split_last() {
            for other in others {
                if contains(&out, other) {
                    out = out.replace(other.as_str(), canonical);
                }
            }
        }
    }
    // Most names end with none of the suffixes: a look at the last character says so.
    let last = out.chars().last();
    if !rules.trivial_suffixes.iter().any(|s| s.chars().last() == last) {
        return out;
    }
    // Longest suffix first, repeatedly ("…工作事项等").
    let mut suffixes: Vec<&String> = rules.trivial_suffixes.iter().collect();
    suffixes.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    loop {
        let before = out.len();
        for suffix in &suffixes {
            if out.len() > suffix.len() && out.ends_with(suffix.as_str()) {
                out.truncate(out.len() - suffix.len());
            }
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// `haystack.contains(needle)`, with a fast look for the needle's first character before the
/// substring search (whose set-up costs more than the search on short texts).
pub fn contains(haystack: &str, needle: &str) -> bool {
    match needle.chars().next() {
        None => true,
        Some(first) => haystack.contains(first) && haystack.contains(needle),
    }
}

pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。' | '、' | '；' | '：' | '？' | '！' | '“' | '”' | '‘' | '’' | '（' | '）'
                | '《' | '》' | '〈' | '〉' | '【' | '】' | '〔' | '〕' | '…' | '—' | '·' | '「'
                | '」' | '『' | '』' | '～'
        )
}

/// The character n-grams of a normalized text, without the stop words' characters when the
/// stop word stands alone. Deduplicated, in first-seen order.
pub fn ngrams(normalized: &str, n: usize, stop_words: &[String]) -> Vec<String> {
    let chars = ngrams_chars(normalized, stop_words);
    let mut grams: Vec<String> = Vec::new();
    if chars.len() < n {
        if !chars.is_empty() {
            grams.push(chars.iter().collect());
        }
        return grams;
    }
    for window in chars.windows(n) {
        let gram: String = window.iter().collect();
        if !grams.contains(&gram) {
            grams.push(gram);
        }
    }
    grams
}

/// Maps keyed by text or small integers inside one check run, with [`GramHasher`].
pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<GramHasher>>;

/// A fast hash for the vocabulary's small integer keys (std's SipHash resists attacks on hash
/// tables fed by a network, which this is not, at several times the cost).
#[derive(Default, Clone, Copy)]
pub struct GramHasher(u64);

impl std::hash::Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time: names are hashed whole (40–100 bytes).
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for b in chunks.remainder() {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }
    fn write_u128(&mut self, word: u128) {
        self.write_u64(word as u64);
        self.write_u64((word >> 64) as u64);
    }
}

/// Ids of n-grams, shared by the sets of one join. An n-gram of up to three characters is
/// keyed by its characters packed into one integer (21 bits each); longer ones by their text.
#[derive(Default)]
pub struct Vocabulary {
    packed: HashMap<u128, u32, std::hash::BuildHasherDefault<GramHasher>>,
    long: HashMap<String, u32>,
}

impl Vocabulary {
    fn next_id(&self) -> u32 {
        u32::try_from(self.packed.len() + self.long.len()).unwrap_or(u32::MAX)
    }

    fn id(&mut self, gram: &[char]) -> u32 {
        let next = self.next_id();
        if gram.len() <= 3 {
            let key = gram.iter().fold(0u128, |key, c| (key << 21) | u128::from(u32::from(*c)));
            // The length keeps "ab" apart from a three-character gram whose first is NUL.
            *self.packed.entry(key | ((gram.len() as u128) << 64)).or_insert(next)
        } else {
            *self.long.entry(gram.iter().collect()).or_insert(next)
        }
    }
}

/// The n-grams of `normalized` as ids in `vocabulary` (new n-grams get new ids): the same
/// tokens as [`ngrams`], without building a string per n-gram.
pub fn token_ids(normalized: &str, n: usize, stop_words: &[String], vocabulary: &mut Vocabulary) -> Vec<u32> {
    let mut ids: Vec<u32> = Vec::new();
    let grams = ngrams_chars(normalized, stop_words);
    if grams.len() < n {
        if !grams.is_empty() {
            ids.push(vocabulary.id(&grams));
        }
        return ids;
    }
    for window in grams.windows(n) {
        let id = vocabulary.id(window);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The characters n-grams are made of: `normalized` without stop words.
fn ngrams_chars(normalized: &str, stop_words: &[String]) -> Vec<char> {
    let mut text = std::borrow::Cow::Borrowed(normalized);
    for word in stop_words.iter().filter(|w| w.chars().count() > 1) {
        if contains(&text, word) {
            text = std::borrow::Cow::Owned(text.replace(word.as_str(), ""));
        }
    }
    let single: Vec<char> = stop_words
        .iter()
        .filter_map(|w| {
            let mut chars = w.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        })
        .collect();
    text.chars().filter(|c| !single.contains(c)).collect()
}

/// Token weights for a group of sets: inverse document frequency, `ln(1 + N / df)`. Phrases
/// that recur across a list ("未按规定", "处罚") weigh little; the words that tell one duty from
/// another weigh much.
pub fn idf_weights(sets: &[Vec<u32>]) -> Vec<f64> {
    let max = sets.iter().flatten().copied().max().map_or(0, |m| m as usize + 1);
    let mut df = vec![0u32; max];
    for set in sets {
        let mut unique = set.clone();
        unique.sort_unstable();
        unique.dedup();
        for token in unique {
            df[token as usize] += 1;
        }
    }
    let n = sets.len() as f64;
    df.into_iter()
        .map(|d| if d == 0 { 0.0 } else { (1.0 + n / f64::from(d)).ln() })
        .collect()
}

/// Weighted Jaccard similarity of two sorted, deduplicated token sets:
/// weight of what they share over weight of what either has.
pub fn weighted_jaccard(a: &[u32], b: &[u32], weights: &[f64]) -> f64 {
    let w = |t: u32| weights.get(t as usize).copied().unwrap_or(0.0);
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut union) = (0.0, 0.0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                shared += w(*x);
                union += w(*x);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                union += w(*x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                union += w(*y);
                j += 1;
            }
            (Some(x), None) => {
                union += w(*x);
                i += 1;
            }
            (None, Some(y)) => {
                union += w(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    if union <= 0.0 {
        0.0
    } else {
        shared / union
    }
}

fn sorted_unique(sets: &[Vec<u32>]) -> Vec<Vec<u32>> {
    sets.iter()
        .map(|set| {
            let mut v = set.clone();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect()
}

/// Every pair `(i, j)`, `i < j`, of `sets` from different `groups` (e.g. two departments)
/// whose weighted Jaccard similarity (see [`weighted_jaccard`], weights from [`idf_weights`]) is
/// at least `threshold`, with its score. `allowed(i, j)` filters pairs before scoring.
///
/// Weighted prefix filtering: tokens of each set are ordered heaviest (rarest) first under one
/// global order; a set's prefix is its shortest head whose remaining tail weighs less than
/// `threshold` × its total. Two sets reaching the threshold share weight at least `threshold` ×
/// the heavier total, so their first common token lies in both prefixes: whichever of the two
/// is processed second finds the other through the index, and no qualifying pair is missed.
/// Sets are processed group by group, each group probing an index of the groups before it, so
/// pairs inside one group are never even visited.
pub fn similar_pairs(
    sets: &[Vec<u32>],
    groups: &[u32],
    threshold: f64,
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let weights = idf_weights(sets);
    let w = |t: u32| weights.get(t as usize).copied().unwrap_or(0.0);
    let sorted = sorted_unique(sets);
    let totals: Vec<f64> = sorted.iter().map(|s| s.iter().map(|t| w(*t)).sum()).collect();
    let group = |k: usize| groups.get(k).copied().unwrap_or(0);
    // Each set's tokens in the global order (heaviest first), and the weight after each one.
    let heads: Vec<Vec<u32>> = sorted
        .iter()
        .map(|set| {
            let mut h = set.clone();
            h.sort_by(|a, b| w(*b).partial_cmp(&w(*a)).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b)));
            h
        })
        .collect();
    let rests: Vec<Vec<f64>> = heads
        .iter()
        .zip(&totals)
        .map(|(h, total)| {
            let mut rest = total - 0.0;
            h.iter()
                .map(|t| {
                    rest -= w(*t);
                    rest.max(0.0)
                })
                .collect()
        })
        .collect();
    // Shortest head whose remaining tail weighs less than t·W (with a margin for float error,
    // so that the prefix is never too short).
    let prefix_len: Vec<usize> = (0..sets.len())
        .map(|x| {
            let bound = threshold * totals[x] - 1e-9;
            rests[x].iter().position(|rest| *rest < bound).map_or(heads[x].len(), |p| p + 1)
        })
        .collect();
    // Postings by token id (ids are dense: 0..vocabulary size): (set, position in its head).
    let mut index: Vec<Vec<(usize, usize)>> = vec![Vec::new(); weights.len()];
    let mut pairs = Vec::new();
    // Overlap weight accumulated per candidate while probing x's prefix (NaN: pruned).
    let mut overlap: Vec<f64> = vec![0.0; sets.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = (0..sets.len()).filter(|&k| totals[k] > 0.0).collect();
    order.sort_by_key(|&k| group(k));
    let mut start = 0;
    while start < order.len() {
        let current = group(order[start]);
        let end = order[start..]
            .iter()
            .position(|&k| group(k) != current)
            .map_or(order.len(), |p| start + p);
        for &x in &order[start..end] {
            for (i, token) in heads[x][..prefix_len[x]].iter().enumerate() {
                let Some(candidates) = index.get(*token as usize) else { continue };
                for &(y, j) in candidates {
                    if overlap[y].is_nan() {
                        continue;
                    }
                    if overlap[y] == 0.0 {
                        // Length filter: the lighter set must weigh at least t × the heavier.
                        let (light, heavy) = if totals[x] < totals[y] { (totals[x], totals[y]) } else { (totals[y], totals[x]) };
                        if light < threshold * heavy - 1e-9 || !allowed(x.min(y), x.max(y)) {
                            overlap[y] = f64::NAN;
                            touched.push(y);
                            continue;
                        }
                        touched.push(y);
                    }
                    // Positional filter: what is shared so far, plus the most the rest of
                    // either set could still share, must reach the overlap J ≥ t requires.
                    let needed = threshold / (1.0 + threshold) * (totals[x] + totals[y]) - 1e-9;
                    let shared = overlap[y] + w(*token);
                    if shared + rests[x][i].min(rests[y][j]) < needed {
                        overlap[y] = f64::NAN;
                    } else {
                        overlap[y] = shared;
                    }
                }
            }
            for y in touched.drain(..) {
                if !overlap[y].is_nan() && overlap[y] > 0.0 {
                    let score = weighted_jaccard(&sorted[x], &sorted[y], &weights);
                    if score >= threshold {
                        pairs.push((x.min(y), x.max(y), score));
                    }
                }
                overlap[y] = 0.0;
            }
        }
        for &x in &order[start..end] {
            for (j, token) in heads[x][..prefix_len[x]].iter().enumerate() {
                if let Some(postings) = index.get_mut(*token as usize) {
                    postings.push((x, j));
                }
            }
        }
        start = end;
    }
    pairs.sort_by_key(|p| (p.0, p.1));
    pairs
}

/// The same pairs by comparing every pair: the reference the benchmark measures recall against.
pub fn similar_pairs_brute_force(
    sets: &[Vec<u32>],
    groups: &[u32],
    threshold: f64,
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let weights = idf_weights(sets);
    let sorted = sorted_unique(sets);
    let group = |k: usize| groups.get(k).copied().unwrap_or(0);
    let mut pairs = Vec::new();
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            if sorted[i].is_empty() || sorted[j].is_empty() || group(i) == group(j) || !allowed(i, j) {
                continue;
            }
            let score = weighted_jaccard(&sorted[i], &sorted[j], &weights);
            if score >= threshold {
                pairs.push((i, j, score));
            }
        }
    }
    pairs
}

/// A piece of a text, marked when it is part of what the other text shares.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct TextSegment {
    pub text: String,
    pub shared: bool,
}

/// Split `text` into runs of characters that are / are not covered by a bigram that also
/// occurs in `other` (both compared as written, case-folded).
pub fn mark_shared(text: &str, other: &str) -> Vec<TextSegment> {
    let chars: Vec<char> = text.chars().collect();
    let other_chars: Vec<char> = other.chars().collect();
    let other_grams: std::collections::HashSet<(char, char)> =
        other_chars.windows(2).map(|w| (w[0], w[1])).collect();
    let mut covered = vec![false; chars.len()];
    for (k, w) in chars.windows(2).enumerate() {
        if other_grams.contains(&(w[0], w[1])) {
            covered[k] = true;
            covered[k + 1] = true;
        }
    }
    let mut segments: Vec<TextSegment> = Vec::new();
    for (c, shared) in chars.into_iter().zip(covered) {
        match segments.last_mut() {
            Some(last) if last.shared == shared => last.text.push(c),
            _ => segments.push(TextSegment {
                text: c.to_string(),
                shared,
            }),
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> NormalizeRules {
        NormalizeRules {
            trivial_suffixes: vec!["工作".into(), "事项".into(), "工作事项".into(), "等".into()],
            stop_words: vec!["对".into(), "的".into()],
            synonyms: vec![vec!["其它".into(), "其他".into()]],
        }
    }

    #[test]
    fn normalization_folds_width_punctuation_spaces_and_trivial_suffixes() {
        let r = rules();
        assert_eq!(
            normalize("对 建筑施工（企业）的检查工作事项", &r),
            normalize("对建筑施工企业的检查", &r)
        );
        assert_eq!(normalize("ＡＢＣ１２３ 许可", &r), "abc123许可");
        assert_eq!(normalize("其它行政权力", &r), "其他行政权力");
        // A name that is only a suffix is kept, not emptied.
        assert_eq!(normalize("工作", &r), "工作");
    }

    #[test]
    fn prefix_filtered_join_equals_brute_force() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(
                    proptest::collection::vec((proptest::collection::vec(0u32..40, 1..12), 0u32..4), 2..60),
                    0.3f64..0.95,
                ),
                |(sets, threshold)| {
                    let groups: Vec<u32> = sets.iter().map(|s| s.1).collect();
                    let sets: Vec<Vec<u32>> = sets.into_iter().map(|s| s.0).collect();
                    let fast = similar_pairs(&sets, &groups, threshold, |_, _| true);
                    let slow = similar_pairs_brute_force(&sets, &groups, threshold, |_, _| true);
                    prop_assert_eq!(
                        fast.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
                        slow.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>()
                    );
                    Ok(())
                },
            )
            .expect("the join finds exactly the brute-force pairs");
    }

    #[test]
    fn shared_parts_are_marked() {
        let segments = mark_shared("对消防设施未保持完好的处罚", "对消防器材未保持完好有效的处罚");
        let shared: String = segments.iter().filter(|s| s.shared).map(|s| s.text.as_str()).collect();
        assert!(shared.contains("对消防"));
        assert!(shared.contains("未保持完好"));
        assert!(!shared.contains("设施"));
    }
}
