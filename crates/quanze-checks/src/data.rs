//! Indexes over a bundle that the rules share, built once per run.

use std::collections::HashMap;

use quanze_domain::{
    AdmissionRequest, Bundle, DutyList, Id, Item, Jurisdiction, Leader, Level, ListKind,
    OrgTemplate, Unit, Waiver,
};

use crate::normalize::{normalize, token_ids, Vocabulary};
use crate::pack::RulePack;
use crate::raw::RawFinding;
use crate::{rule_title, Finding, Subject, SubjectKind};

/// An item with the list it is in.
#[derive(Clone, Copy)]
pub struct Placed<'a> {
    pub list: &'a DutyList,
    pub item: &'a Item,
}

/// Maps keyed by ids, with a hash fit for small integers (std's default is several times
/// slower, and the checks look ids up millions of times on a large district).
pub type IdMap<V> = HashMap<Id, V, std::hash::BuildHasherDefault<crate::normalize::GramHasher>>;

pub struct Data<'a> {
    pub bundle: &'a Bundle,
    pub pack: &'a RulePack,
    pub templates: &'a [OrgTemplate],
    pub jurisdictions: IdMap<&'a Jurisdiction>,
    pub units: IdMap<&'a Unit>,
    pub leaders: IdMap<&'a Leader>,
    pub lists: IdMap<&'a DutyList>,
    pub items: IdMap<Placed<'a>>,
    pub requests: IdMap<&'a AdmissionRequest>,
    waivers: HashMap<&'a str, &'a Waiver>,
    /// Normalized item names, by item id.
    pub normalized: IdMap<String>,
    /// Items that appear in some published version of their list.
    pub published: std::collections::HashSet<(Id, String)>,
    /// The rules this run runs (set by `run_observed`): a rule that can serve another's
    /// findings from one pass asks whether the other is wanted.
    pub wanted: Vec<&'static str>,
    /// The date the run counts time limits to (set by `run_observed` from the options); the
    /// rules about overdue requests say nothing without it.
    pub today: Option<chrono::NaiveDate>,
    /// Public holidays and adjusted working days, for the admission time limits.
    pub calendar: quanze_domain::WorkCalendar,
}

/// 64-bit FNV-1a: a stable digest (std's hasher may change between Rust releases).
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01B3);
    }
    hash
}

impl<'a> Data<'a> {
    pub fn new(bundle: &'a Bundle, pack: &'a RulePack, templates: &'a [OrgTemplate]) -> Data<'a> {
        let mut items = IdMap::default();
        let mut normalized = IdMap::default();
        for list in &bundle.lists {
            for item in &list.items {
                items.insert(item.id, Placed { list, item });
                normalized.insert(item.id, normalize(&item.name, &pack.normalize));
            }
        }
        let lists: IdMap<&DutyList> = bundle.lists.iter().map(|l| (l.id, l)).collect();
        let published = bundle
            .versions
            .iter()
            .flat_map(|v| {
                v.items
                    .iter()
                    .map(move |i| (v.list, normalize(&i.name, &pack.normalize)))
            })
            .collect();
        Data {
            bundle,
            pack,
            templates,
            jurisdictions: bundle.jurisdictions.iter().map(|j| (j.id, j)).collect(),
            units: bundle.units.iter().map(|u| (u.id, u)).collect(),
            leaders: bundle.leaders.iter().map(|l| (l.id, l)).collect(),
            lists,
            items,
            requests: bundle.admission_requests.iter().map(|r| (r.id, r)).collect(),
            waivers: bundle
                .waivers
                .iter()
                .map(|w| (w.finding_key.as_str(), w))
                .collect(),
            normalized,
            published,
            wanted: Vec::new(),
            today: None,
            calendar: quanze_domain::WorkCalendar::default(),
        }
    }

    pub fn wants(&self, rule: &str) -> bool {
        self.wanted.contains(&rule)
    }

    pub fn norm(&self, item: Id) -> &str {
        self.normalized.get(&item).map_or("", String::as_str)
    }

    /// Token-id sets (n-grams of normalized names) for a group of items, for the similarity join.
    pub fn gram_sets(&self, items: &[Id], vocabulary: &mut Vocabulary) -> Vec<Vec<u32>> {
        let rules = &self.pack.near_duplicate;
        items
            .iter()
            .map(|id| {
                let text = self.norm(*id);
                if text.chars().count() < rules.min_length {
                    return Vec::new();
                }
                token_ids(text, rules.ngram, &self.pack.normalize.stop_words, vocabulary)
            })
            .collect()
    }

    /// Items of the lists of one jurisdiction whose kind is in `kinds`, in list order.
    pub fn items_of(&self, jurisdiction: Id, kinds: &[ListKind]) -> Vec<Placed<'a>> {
        self.bundle
            .lists
            .iter()
            .filter(|l| l.jurisdiction == jurisdiction && kinds.contains(&l.kind))
            .flat_map(|list| list.items.iter().map(move |item| Placed { list, item }))
            .collect()
    }

    pub fn lists_of(&self, jurisdiction: Id, kind: ListKind) -> impl Iterator<Item = &'a DutyList> + '_ {
        self.bundle
            .lists
            .iter()
            .filter(move |l| l.jurisdiction == jurisdiction && l.kind == kind)
    }

    pub fn jurisdictions_at(&self, level: Level) -> impl Iterator<Item = &'a Jurisdiction> + '_ {
        self.bundle.jurisdictions.iter().filter(move |j| j.level == level)
    }

    /// The department that leads an item of a 权责清单: the list's unit, else the handling unit.
    pub fn owner(&self, placed: Placed<'_>) -> Option<Id> {
        placed.list.unit.or(placed.item.handling_unit)
    }

    pub fn unit_name(&self, id: Id) -> &str {
        self.units.get(&id).map_or("（未知机构）", |u| u.name.as_str())
    }

    pub fn jurisdiction_name(&self, id: Id) -> &str {
        self.jurisdictions
            .get(&id)
            .map_or("（未知辖区）", |j| j.name.as_str())
    }

    pub fn item_subject(&self, id: Id) -> Subject {
        let label = match self.items.get(&id) {
            Some(p) => {
                format!("{}［{}］", p.item.label(), p.list.name)
            }
            None => format!("事项 #{id}"),
        };
        Subject {
            kind: SubjectKind::Item,
            id,
            label,
        }
    }

    pub fn unit_subject(&self, id: Id) -> Subject {
        let label = match self.units.get(&id) {
            Some(u) => format!("{}［{}］", u.name, self.jurisdiction_name(u.jurisdiction)),
            None => format!("机构 #{id}"),
        };
        Subject {
            kind: SubjectKind::Unit,
            id,
            label,
        }
    }

    pub fn leader_subject(&self, id: Id) -> Subject {
        let label = match self.leaders.get(&id) {
            Some(l) => format!("{}（{}）［{}］", l.name, l.post, self.jurisdiction_name(l.jurisdiction)),
            None => format!("班子成员 #{id}"),
        };
        Subject {
            kind: SubjectKind::Leader,
            id,
            label,
        }
    }

    pub fn jurisdiction_subject(&self, id: Id) -> Subject {
        Subject {
            kind: SubjectKind::Jurisdiction,
            id,
            label: self.jurisdiction_name(id).to_string(),
        }
    }

    pub fn request_subject(&self, id: Id) -> Subject {
        let label = self.requests.get(&id).map_or(format!("准入申请 #{id}"), |r| {
            format!("准入申请：{}（{}）", r.item_name, r.state.label())
        });
        Subject {
            kind: SubjectKind::AdmissionRequest,
            id,
            label,
        }
    }

    pub fn jurisdiction_of_subject(&self, kind: SubjectKind, id: Id) -> Option<Id> {
        match kind {
            SubjectKind::Item => self.items.get(&id).map(|p| p.list.jurisdiction),
            SubjectKind::Unit => self.units.get(&id).map(|u| u.jurisdiction),
            SubjectKind::Leader => self.leaders.get(&id).map(|l| l.jurisdiction),
            SubjectKind::List => self.lists.get(&id).map(|l| l.jurisdiction),
            SubjectKind::Jurisdiction => Some(id),
            SubjectKind::AdmissionRequest => self.requests.get(&id).map(|r| r.community),
        }
    }

    /// Whether `j` is `scope` or lies below it.
    pub fn is_within(&self, mut j: Id, scope: Id) -> bool {
        for _ in 0..8 {
            if j == scope {
                return true;
            }
            match self.jurisdictions.get(&j).and_then(|x| x.parent) {
                Some(parent) => j = parent,
                None => return false,
            }
        }
        false
    }

    fn subject_digest(&self, subject: &Subject) -> u64 {
        let text = match subject.kind {
            SubjectKind::Item => self.items.get(&subject.id).and_then(|p| serde_json::to_string(p.item).ok()),
            SubjectKind::Unit => self.units.get(&subject.id).and_then(|u| serde_json::to_string(u).ok()),
            SubjectKind::Leader => self.leaders.get(&subject.id).and_then(|l| serde_json::to_string(l).ok()),
            SubjectKind::List => self.lists.get(&subject.id).map(|l| l.name.clone()),
            SubjectKind::Jurisdiction => self.jurisdictions.get(&subject.id).and_then(|j| serde_json::to_string(j).ok()),
            SubjectKind::AdmissionRequest => self.requests.get(&subject.id).and_then(|r| serde_json::to_string(r).ok()),
        };
        fnv1a(text.unwrap_or_default().as_bytes(), 0xcbf2_9ce4_8422_2325)
    }

    /// Turn a rule's raw finding into a reported one: key, fingerprint, waiver state.
    pub fn finish(&self, raw: RawFinding) -> Finding {
        let setting = self.pack.setting(raw.rule);
        let pairs: Vec<(SubjectKind, Id)> = raw.subjects.iter().map(|s| (s.kind, s.id)).collect();
        let key = crate::finding_key(raw.rule, &pairs);
        let mut digests: Vec<(String, u64)> = raw
            .subjects
            .iter()
            .map(|s| (format!("{}{}", s.kind as u8, s.id), self.subject_digest(s)))
            .collect();
        digests.sort();
        let mut hash = 0xcbf2_9ce4_8422_2325;
        for (name, digest) in &digests {
            hash = fnv1a(name.as_bytes(), hash);
            hash = fnv1a(&digest.to_le_bytes(), hash);
        }
        let fingerprint = format!("{hash:016x}");
        let waiver = self.waivers.get(key.as_str());
        let lapsed = waiver.is_some_and(|w| w.fingerprint.as_ref().is_some_and(|f| *f != fingerprint));
        let waived = waiver.is_some() && !lapsed;
        let mut jurisdictions: Vec<Id> = raw
            .subjects
            .iter()
            .filter_map(|s| self.jurisdiction_of_subject(s.kind, s.id))
            .collect();
        jurisdictions.sort_unstable();
        jurisdictions.dedup();
        Finding {
            key,
            rule: raw.rule.to_string(),
            severity: setting.severity,
            grade: setting.grade,
            title: rule_title(raw.rule).to_string(),
            message: raw.message,
            subjects: raw.subjects,
            jurisdictions,
            evidence: raw.evidence,
            fingerprint,
            waived,
            waiver_reason: if waived { waiver.map(|w| w.reason.clone()) } else { None },
            waiver_lapsed: lapsed,
        }
    }
}
