//! `overlap.near`: one duty held by two departments of one level under two wordings.
//!
//! A pair of items of two departments, of the same 权力类型, is raised on the evidence a
//! reviewer uses (docs/checks.md, "How duties are compared"):
//! - **the legal basis**: both rest on the same article of the same law (`citations`), and one
//!   names only that article or one's object is contained in the other's — strong;
//! - **what the duty is about**: the objects left once the act and the frame are taken off the
//!   names (`duty_name`) are similar (IDF-weighted Jaccard of character bigrams) — likely.
//!   Containment alone, without a shared article, is not enough: a duty that mentions another's
//!   step ("未根据专家论证报告…修改" / "未…进行专家论证") contains most of its words;
//!
//! It is held back when the evidence says two duties: the same law cited with different articles,
//! different actors (导游 / 旅行社), or a negated qualifier (非国家重点保护).
//! Candidates come from the prefix-filtered similarity join (`normalize::similar_pairs`) and from
//! items citing one article; each candidate is then judged by [`assess`].

use std::collections::{BTreeMap, BTreeSet};

use quanze_domain::{Id, ListKind, PowerType};
use serde::Serialize;
use ts_rs::TS;

use crate::citations::{basis_citations, name_citations, LegalCitation};
use crate::data::Data;
use crate::duty_name::{different_actors, negated_qualifier, parse, DutyName};
use crate::normalize::{idf_weights, mark_shared, normalize, similar_pairs, token_ids, weighted_jaccard, FastMap, Vocabulary};
use crate::raw::RawFinding;
use crate::Evidence;

/// How sure the checks are that two items are one duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OverlapConfidence {
    /// Same article of the same law, and the objects agree.
    Strong,
    /// The wording of what the duties are about agrees.
    Likely,
    /// One is the other with a qualifier more (渔业船舶 / 船舶): a sector of it, or the same
    /// duty; the reviewer decides (`overlap.sector`, a lower grade).
    Possible,
}

impl OverlapConfidence {
    pub const ALL: [OverlapConfidence; 3] = [OverlapConfidence::Strong, OverlapConfidence::Likely, OverlapConfidence::Possible];

    pub fn label(self) -> &'static str {
        match self {
            OverlapConfidence::Strong => "依据相同",
            OverlapConfidence::Likely => "措辞相近",
            OverlapConfidence::Possible => "限定不同",
        }
    }
}

/// What the checks read of one item.
struct DutyFacts {
    name: DutyName,
    citations: Vec<LegalCitation>,
    /// Bigram ids of the normalized object (empty when too short to compare).
    tokens: Vec<u32>,
}

/// A judged pair.
pub struct Assessment {
    pub confidence: OverlapConfidence,
    pub score: f64,
    pub shared_basis: Vec<String>,
    pub reasons: Vec<String>,
}

/// Weight of what `a` and `b` share, and of each (sorted, deduplicated token ids).
fn weights_of(a: &[u32], b: &[u32], weights: &[f64]) -> (f64, f64, f64) {
    let w = |t: &u32| weights.get(*t as usize).copied().unwrap_or(0.0);
    let shared: f64 = a.iter().filter(|t| b.binary_search(t).is_ok()).map(w).sum();
    (shared, a.iter().map(w).sum(), b.iter().map(w).sum())
}

/// Judge one pair of the same 权力类型 held by two departments.
fn assess(a: &DutyFacts, b: &DutyFacts, weights: &[f64], data: &Data<'_>) -> Option<Assessment> {
    let rules = &data.pack.near_duplicate;
    if different_actors(&a.name.actor, &b.name.actor)
        || negated_qualifier(&a.name.object, &b.name.object, &data.pack.duty_name)
    {
        return None;
    }
    let score = weighted_jaccard(&a.tokens, &b.tokens, weights);
    let (shared, wa, wb) = weights_of(&a.tokens, &b.tokens, weights);
    let smaller = wa.min(wb);
    let containment = if smaller > 0.0 { shared / smaller } else { 0.0 };
    let shared_basis: BTreeSet<String> = a
        .citations
        .iter()
        .filter(|x| b.citations.iter().any(|y| x.same_article(y)))
        .map(LegalCitation::label)
        .collect();
    let shared_basis: Vec<String> = shared_basis.into_iter().collect();
    fn cited_laws(f: &DutyFacts) -> BTreeSet<&str> {
        f.citations.iter().filter(|c| c.article.is_some()).map(|c| c.law.as_str()).collect()
    }
    let conflicting_articles = shared_basis.is_empty() && !cited_laws(a).is_disjoint(&cited_laws(b));
    let article_only = a.name.article_only || b.name.article_only;
    let mut reasons = Vec::new();
    let confidence = if !shared_basis.is_empty() && (article_only || containment >= rules.containment) {
        reasons.push(format!("实施依据同为{}", shared_basis.join("、")));
        reasons.push(if article_only {
            "一方事项名称只写明条款，所指即该条款规定的行为".to_string()
        } else {
            format!("一方所指对象包含在另一方之中（{:.0}%）", containment * 100.0)
        });
        OverlapConfidence::Strong
    } else if conflicting_articles {
        return None;
    } else if score >= rules.threshold {
        reasons.push(format!("所指对象相似（{:.0}%）", score * 100.0));
        OverlapConfidence::Likely
    } else {
        return None;
    };
    if !article_only {
        reasons.push(format!("所指对象：“{}” / “{}”", a.name.object, b.name.object));
    }
    Some(Assessment { confidence, score, shared_basis, reasons })
}

/// One group to judge: (item, owning unit) pairs of one jurisdiction and 权力类型.
type Group = Vec<(Id, Id)>;

/// A pair found in a group: (left item, right item, left owner, right owner, assessment).
type Found = (Id, Id, Id, Id, Assessment);

fn facts_of(data: &Data<'_>, ids: &[Id], vocabulary: &mut Vocabulary) -> Vec<DutyFacts> {
    let pack = data.pack;
    ids.iter()
        .map(|id| {
            let item = data.items.get(id).map(|p| p.item);
            let name = item.map_or("", |i| i.name.as_str());
            let duty = parse(name, &pack.duty_name);
            let mut citations = item
                .and_then(|i| i.basis.as_deref())
                .map(|b| basis_citations(b, &pack.legal_basis))
                .unwrap_or_default();
            citations.extend(name_citations(name, &pack.legal_basis));
            let object = normalize(&duty.object, &pack.normalize);
            let mut tokens = if data.norm(*id).chars().count() < pack.near_duplicate.min_length || duty.article_only {
                Vec::new()
            } else {
                token_ids(&object, pack.near_duplicate.ngram, &pack.normalize.stop_words, vocabulary)
            };
            tokens.sort_unstable();
            tokens.dedup();
            DutyFacts { name: duty, citations, tokens }
        })
        .collect()
}

/// Pairs of members citing one article, from different owners; articles cited too often in
/// the group are general clauses and pair nothing.
fn citation_candidates(facts: &[DutyFacts], owners: &[Id], limit: usize) -> BTreeSet<(usize, usize)> {
    let mut by_article: BTreeMap<(&str, u32), Vec<usize>> = BTreeMap::new();
    for (k, f) in facts.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for c in &f.citations {
            if let Some(article) = c.article {
                if seen.insert((c.law.as_str(), article)) {
                    by_article.entry((c.law.as_str(), article)).or_default().push(k);
                }
            }
        }
    }
    let mut pairs = BTreeSet::new();
    for members in by_article.values().filter(|m| m.len() > 1 && m.len() <= limit) {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if owners[*a] != owners[*b] {
                    pairs.insert((*a.min(b), *a.max(b)));
                }
            }
        }
    }
    pairs
}

fn near_pairs_of(data: &Data<'_>, members: &Group) -> Vec<Found> {
    let ids: Vec<Id> = members.iter().map(|m| m.0).collect();
    let owners: Vec<Id> = members.iter().map(|m| m.1).collect();
    let mut vocabulary = Vocabulary::default();
    let facts = facts_of(data, &ids, &mut vocabulary);
    let sets: Vec<Vec<u32>> = facts.iter().map(|f| f.tokens.clone()).collect();
    let weights = idf_weights(&sets);
    // Integer ids of normalized names, so the join's pair filter compares numbers only.
    let mut name_ids: FastMap<&str, u32> = FastMap::default();
    let names: Vec<u32> = ids
        .iter()
        .map(|id| {
            let next = u32::try_from(name_ids.len()).unwrap_or(u32::MAX);
            *name_ids.entry(data.norm(*id)).or_insert(next)
        })
        .collect();
    let differ = |a: usize, b: usize| names[a] != names[b];
    let mut candidates: BTreeSet<(usize, usize)> =
        similar_pairs(&sets, &owners, data.pack.near_duplicate.threshold, differ).into_iter().map(|(a, b, _)| (a, b)).collect();
    candidates.extend(
        citation_candidates(&facts, &owners, data.pack.legal_basis.max_items_per_article)
            .into_iter()
            .filter(|(a, b)| differ(*a, *b)),
    );
    // A pair that differs only by a qualifier in front is the reviewer's call (overlap.sector),
    // however similar, unless the legal basis makes it one duty.
    let qualified: BTreeMap<(usize, usize), String> =
        qualified_pairs(data, &facts, &owners).into_iter().map(|(a, b, q)| ((a, b), q)).collect();
    candidates.extend(qualified.keys().filter(|(a, b)| differ(*a, *b)).copied());
    candidates
        .into_iter()
        .filter_map(|(a, b)| {
            let judged = match (assess(&facts[a], &facts[b], &weights, data), qualified.get(&(a, b))) {
                (Some(strong), _) if strong.confidence == OverlapConfidence::Strong => Some(strong),
                (_, Some(qualifier)) => assess_qualified(&facts[a], &facts[b], qualifier, data),
                (judged, None) => judged,
            };
            judged.map(|judged| (ids[a], ids[b], owners[a], owners[b], judged))
        })
        .collect()
}

/// Pairs of two owners where one object is the other with a qualifier in front (渔业船舶… /
/// 船舶…): found by taking 1 to `duty_name.max_qualifier` characters off the front of each
/// object and looking the rest up, so no similarity threshold can hide a heavy qualifier.
fn qualified_pairs(data: &Data<'_>, facts: &[DutyFacts], owners: &[Id]) -> Vec<(usize, usize, String)> {
    let min_length = data.pack.near_duplicate.min_length;
    let mut by_object: FastMap<&str, Vec<usize>> = FastMap::default();
    for (k, f) in facts.iter().enumerate() {
        if !f.name.article_only && f.name.object.chars().count() >= min_length {
            by_object.entry(f.name.object.as_str()).or_default().push(k);
        }
    }
    let mut pairs = Vec::new();
    for (long, f) in facts.iter().enumerate() {
        let object = f.name.object.as_str();
        for (cut, _) in object.char_indices().skip(1).take(data.pack.duty_name.max_qualifier) {
            let Some(shorter) = by_object.get(&object[cut..]) else { continue };
            for &short in shorter {
                if owners[short] != owners[long] {
                    pairs.push((short.min(long), short.max(long), object[..cut].to_string()));
                }
            }
        }
    }
    pairs
}

/// Judge a pair whose objects differ by a qualifier in front.
fn assess_qualified(a: &DutyFacts, b: &DutyFacts, qualifier: &str, data: &Data<'_>) -> Option<Assessment> {
    if different_actors(&a.name.actor, &b.name.actor)
        || negated_qualifier(&a.name.object, &b.name.object, &data.pack.duty_name)
        || data.pack.duty_name.negating_prefixes.iter().any(|p| !p.is_empty() && qualifier.starts_with(p.as_str()))
    {
        return None;
    }
    Some(Assessment {
        confidence: OverlapConfidence::Possible,
        score: 0.0,
        shared_basis: Vec::new(),
        reasons: vec![
            format!("一方多出限定语“{qualifier}”，其余相同：可能是其中一个行业或对象，也可能是同一职责，请判断"),
            format!("所指对象：“{}” / “{}”", a.name.object, b.name.object),
        ],
    })
}

/// The groups to judge: per jurisdiction, one representative per (owner, normalized name),
/// split by 权力类型 when the pack compares only items of one type.
fn groups_of(data: &Data<'_>) -> Vec<Group> {
    let same_type = data.pack.near_duplicate.same_power_type;
    let mut groups: Vec<Group> = Vec::new();
    for j in &data.bundle.jurisdictions {
        let mut seen: BTreeSet<(Id, &str)> = BTreeSet::new();
        let mut by_type: BTreeMap<Option<PowerType>, Group> = BTreeMap::new();
        for placed in data.items_of(j.id, &[ListKind::Power, ListKind::StreetBasic]) {
            let Some(owner) = data.owner(placed) else { continue };
            if seen.insert((owner, data.norm(placed.item.id))) {
                let kind = if same_type { placed.item.power_type.as_deref().and_then(PowerType::parse) } else { None };
                by_type.entry(kind).or_default().push((placed.item.id, owner));
            }
        }
        groups.extend(by_type.into_values().filter(|m| m.len() > 1));
    }
    groups
}

/// Judge the groups on the available cores, largest first, in report order.
fn judge_groups(data: &Data<'_>, groups: &[Group]) -> Vec<Found> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(groups.len().max(1));
    let mut results: Vec<Option<Vec<Found>>> = (0..groups.len()).map(|_| None).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let mine: Vec<usize> = order.iter().copied().skip(worker).step_by(workers).collect();
                scope.spawn(move || mine.into_iter().map(|g| (g, near_pairs_of(data, &groups[g]))).collect::<Vec<_>>())
            })
            .collect();
        for handle in handles {
            if let Ok(done) = handle.join() {
                for (g, pairs) in done {
                    results[g] = Some(pairs);
                }
            }
        }
    });
    // A group whose worker failed (only a bug can do that) is judged again here, so that no
    // finding is ever dropped silently.
    results
        .into_iter()
        .enumerate()
        .flat_map(|(g, pairs)| pairs.unwrap_or_else(|| near_pairs_of(data, &groups[g])))
        .collect()
}

/// `overlap.near`: one duty in two units of one jurisdiction under two wordings, strongest
/// evidence first; with it, the pairs `overlap.sector` reports, when that rule is wanted too
/// (the pairs are judged once for both rules).
pub fn overlap_near(data: &Data<'_>, out: &mut Vec<RawFinding>) {
    let sector = data.wants("overlap.sector");
    report(data, judge_groups(data, &groups_of(data)), true, sector, out);
}

/// `overlap.sector`: two duties that differ only by a qualifier in front. When `overlap.near`
/// runs in the same check it reports these as well, and this rule adds nothing.
pub fn overlap_sector(data: &Data<'_>, out: &mut Vec<RawFinding>) {
    if !data.wants("overlap.near") {
        report(data, judge_groups(data, &groups_of(data)), false, true, out);
    }
}

fn report(data: &Data<'_>, mut found: Vec<Found>, near: bool, sector: bool, out: &mut Vec<RawFinding>) {
    found.retain(|f| if f.4.confidence == OverlapConfidence::Possible { sector } else { near });
    found.sort_by(|x, y| {
        x.4.confidence
            .cmp(&y.4.confidence)
            .then(y.4.score.partial_cmp(&x.4.score).unwrap_or(std::cmp::Ordering::Equal))
            .then((x.0, x.1).cmp(&(y.0, y.1)))
    });
    let name = |id: Id| data.items.get(&id).map_or("", |p| p.item.name.as_str());
    for (left, right, left_owner, right_owner, judged) in found {
        let why = if judged.confidence == OverlapConfidence::Possible {
            "仅差限定语".to_string()
        } else if judged.shared_basis.is_empty() {
            format!("所指对象相似度 {:.0}%", judged.score * 100.0)
        } else {
            format!("实施依据同为{}", judged.shared_basis.join("、"))
        };
        out.push(RawFinding {
            rule: if judged.confidence == OverlapConfidence::Possible { "overlap.sector" } else { "overlap.near" },
            message: format!(
                "{}的“{}”与{}的“{}”疑为同一职责（{}：{}），请确认",
                data.unit_name(left_owner),
                name(left),
                data.unit_name(right_owner),
                name(right),
                judged.confidence.label(),
                why
            ),
            subjects: vec![data.item_subject(left), data.item_subject(right)],
            evidence: Evidence::Similarity {
                score: (judged.score * 1000.0).round() / 1000.0,
                left: mark_shared(name(left), name(right)),
                right: mark_shared(name(right), name(left)),
                confidence: Some(judged.confidence),
                shared_basis: judged.shared_basis,
                reasons: judged.reasons,
            },
        });
    }
}
