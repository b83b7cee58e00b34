//! Text normalization and similarity for comparing duties.
//!
//! Chinese has no spaces, so duties are compared as sets of character n-grams of their
//! normalized names. Near-duplicates are found with a prefix-filtered set-similarity join:
//! each name's n-grams are ordered by how rare they are across the whole dataset, and two names
//! can only reach the Jaccard threshold `t` if they share one of the first
//! `|x| - ceil(t·|x|) + 1` rarest n-grams of either. That makes the candidate search exact (no
//! pair above the threshold is missed) without comparing all pairs.

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
                if out.contains(other.as_str()) {
                    out = out.replace(other.as_str(), canonical);
                }
            }
        }
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

fn is_punctuation(c: char) -> bool {
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
    let mut text = normalized.to_string();
    for word in stop_words {
        if word.chars().count() > 1 {
            text = text.replace(word.as_str(), "");
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
    let chars: Vec<char> = text.chars().filter(|c| !single.contains(c)).collect();
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

/// Jaccard similarity of two sorted, deduplicated id sets.
pub fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

/// Every pair `(i, j)`, `i < j`, of `sets` whose Jaccard similarity is at least `threshold`,
/// with its score. `sets[k]` are token ids; `allowed(i, j)` filters pairs before scoring.
pub fn similar_pairs(
    sets: &[Vec<u32>],
    threshold: f64,
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    // Global token frequency; order each set rarest first so prefixes are short and selective.
    let mut frequency: HashMap<u32, u32> = HashMap::new();
    for set in sets {
        let mut unique = set.clone();
        unique.sort_unstable();
        unique.dedup();
        for token in unique {
            *frequency.entry(token).or_default() += 1;
        }
    }
    let sorted: Vec<Vec<u32>> = sets
        .iter()
        .map(|set| {
            let mut v = set.clone();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let ordered: Vec<Vec<u32>> = sorted
        .iter()
        .map(|set| {
            let mut v = set.clone();
            v.sort_by_key(|t| (frequency.get(t).copied().unwrap_or(0), *t));
            v
        })
        .collect();
    let prefix_len = |len: usize| -> usize {
        if len == 0 {
            0
        } else {
            // The epsilon keeps float error from shortening the prefix (and missing a pair).
            len - ((threshold * len as f64) - 1e-9).ceil().max(0.0) as usize + 1
        }
    };
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut pairs = Vec::new();
    let mut seen_with: Vec<usize> = vec![usize::MAX; sets.len()];
    // Process by size so the length filter can prune: |y| >= t·|x| for y processed earlier.
    let mut order: Vec<usize> = (0..sets.len()).collect();
    order.sort_by_key(|&k| sorted[k].len());
    for &x in &order {
        let len = sorted[x].len();
        if len == 0 {
            continue;
        }
        let prefix = &ordered[x][..prefix_len(len).min(ordered[x].len())];
        for token in prefix {
            if let Some(candidates) = index.get(token) {
                for &y in candidates {
                    if seen_with[y] == x {
                        continue;
                    }
                    seen_with[y] = x;
                    if (sorted[y].len() as f64) < threshold * len as f64 {
                        continue;
                    }
                    let (i, j) = if x < y { (x, y) } else { (y, x) };
                    if !allowed(i, j) {
                        continue;
                    }
                    let score = jaccard(&sorted[x], &sorted[y]);
                    if score >= threshold {
                        pairs.push((i, j, score));
                    }
                }
            }
        }
        for token in prefix {
            index.entry(*token).or_default().push(x);
        }
    }
    pairs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    pairs
}

/// The same pairs by comparing every pair: the reference the benchmark measures recall against.
pub fn similar_pairs_brute_force(
    sets: &[Vec<u32>],
    threshold: f64,
    allowed: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let sorted: Vec<Vec<u32>> = sets
        .iter()
        .map(|set| {
            let mut v = set.clone();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            if sorted[i].is_empty() || sorted[j].is_empty() || !allowed(i, j) {
                continue;
            }
            let score = jaccard(&sorted[i], &sorted[j]);
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
                &(proptest::collection::vec(proptest::collection::vec(0u32..40, 1..12), 2..60), 0.3f64..0.95),
                |(sets, threshold)| {
                    let fast = similar_pairs(&sets, threshold, |_, _| true);
                    let slow = similar_pairs_brute_force(&sets, threshold, |_, _| true);
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
