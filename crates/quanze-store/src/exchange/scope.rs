//! What a package of a jurisdiction (or of some of its lists) holds, cut from a whole dump: the
//! jurisdiction and everything under it, and — so that every reference resolves and the package
//! loads on its own — the entities outside it that those refer to (the district above a street,
//! the district department a 配合履职 item names, that department's leader in charge).

use std::collections::{BTreeSet, HashMap};

use quanze_domain::{Bundle, Id};

use crate::{Result, StoreError};

/// What to export: a jurisdiction, and optionally only some of its lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportScope {
    pub jurisdiction: Id,
    /// Empty: every list of the jurisdiction and of those under it.
    pub lists: Vec<Id>,
}

#[derive(Default)]
struct Needed {
    jurisdictions: BTreeSet<Id>,
    units: BTreeSet<Id>,
    leaders: BTreeSet<Id>,
    requests: BTreeSet<Id>,
}

/// `whole` cut down to `scope` (see the module documentation).
pub(crate) fn cut(mut whole: Bundle, scope: &ExportScope) -> Result<Bundle> {
    let parent_of: HashMap<Id, Option<Id>> = whole.jurisdictions.iter().map(|j| (j.id, j.parent)).collect();
    if !parent_of.contains_key(&scope.jurisdiction) {
        return Err(StoreError::NotFound { entity: "辖区", id: scope.jurisdiction });
    }
    let within = |mut id: Id| -> bool {
        for _ in 0..16 {
            if id == scope.jurisdiction {
                return true;
            }
            match parent_of.get(&id).copied().flatten() {
                Some(parent) => id = parent,
                None => return false,
            }
        }
        false
    };
    let whole_jurisdiction = scope.lists.is_empty();
    for list in &scope.lists {
        let found = whole.lists.iter().find(|l| l.id == *list).ok_or(StoreError::NotFound { entity: "清单", id: *list })?;
        if !within(found.jurisdiction) {
            return Err(StoreError::Invalid(format!("清单“{}”不属于所选辖区", found.name)));
        }
    }
    let mut needed = Needed::default();
    let lists: Vec<_> = whole
        .lists
        .iter()
        .filter(|l| if whole_jurisdiction { within(l.jurisdiction) } else { scope.lists.contains(&l.id) })
        .cloned()
        .collect();
    let list_ids: BTreeSet<Id> = lists.iter().map(|l| l.id).collect();
    let item_ids: BTreeSet<Id> = lists.iter().flat_map(|l| l.items.iter().map(|i| i.id)).collect();
    if whole_jurisdiction {
        needed.jurisdictions.extend(whole.jurisdictions.iter().filter(|j| within(j.id)).map(|j| j.id));
        needed.units.extend(whole.units.iter().filter(|u| within(u.jurisdiction)).map(|u| u.id));
        needed.leaders.extend(whole.leaders.iter().filter(|l| within(l.jurisdiction)).map(|l| l.id));
        needed.requests.extend(whole.admission_requests.iter().filter(|r| within(r.community)).map(|r| r.id));
    }
    needed.jurisdictions.insert(scope.jurisdiction);
    for list in &lists {
        needed.jurisdictions.insert(list.jurisdiction);
        needed.units.extend(list.unit);
        for item in &list.items {
            needed.units.extend(item.handling_unit);
            needed.units.extend(item.coordination.as_ref().and_then(|c| c.lead_unit));
            needed.units.extend(item.withdrawal.as_ref().and_then(|w| w.receiving_unit));
            if let Some(a) = &item.assistance {
                needed.units.extend(a.requesting_unit);
                needed.requests.extend(a.admission_request);
            }
        }
    }
    let mut requests: Vec<_> = whole.admission_requests.into_iter().filter(|r| needed.requests.contains(&r.id)).collect();
    for request in &mut requests {
        needed.jurisdictions.insert(request.community);
        needed.units.extend(request.applicant_unit);
        // A request outside the package whose item is not in it: the item stays at home.
        if request.admitted_item.is_some_and(|i| !item_ids.contains(&i)) {
            request.admitted_item = None;
        }
    }
    // A list's change requests travel with it. A transfer's receiving list stays at home when it
    // is not in the package (the request keeps the move, its reason and the item's name).
    let mut change_requests: Vec<_> = std::mem::take(&mut whole.change_requests).into_iter().filter(|c| list_ids.contains(&c.list)).collect();
    let version_ids: BTreeSet<Id> = whole.versions.iter().filter(|v| list_ids.contains(&v.list)).map(|v| v.id).collect();
    for change in &mut change_requests {
        needed.units.extend(change.to_unit);
        needed.units.extend(change.requester_unit);
        change.to_list = change.to_list.filter(|l| list_ids.contains(l));
        change.version = change.version.filter(|v| version_ids.contains(v));
        change.item = change.item.filter(|i| item_ids.contains(i));
        change.after = change.after.filter(|i| item_ids.contains(i));
    }
    close_units(&whole.units, &mut needed);
    close_jurisdictions(&parent_of, &whole.units, &whole.leaders, &mut needed);
    let versions = whole.versions.into_iter().filter(|v| list_ids.contains(&v.list)).collect();
    let subjects = Subjects { units: &needed.units, leaders: &needed.leaders, lists: &list_ids, items: &item_ids, requests: &needed.requests, jurisdictions: &needed.jurisdictions };
    let waivers = whole.waivers.into_iter().filter(|w| subjects.all_in(&w.finding_key)).collect();
    Ok(Bundle {
        title: Some(format!("{} 数据包", whole.jurisdictions.iter().find(|j| j.id == scope.jurisdiction).map_or("", |j| j.name.as_str()))),
        jurisdictions: whole.jurisdictions.into_iter().filter(|j| needed.jurisdictions.contains(&j.id)).collect(),
        units: whole.units.into_iter().filter(|u| needed.units.contains(&u.id)).collect(),
        leaders: whole.leaders.into_iter().filter(|l| needed.leaders.contains(&l.id)).collect(),
        lists,
        admission_requests: requests,
        waivers,
        versions,
        change_requests,
        ..Bundle::default()
    })
}

/// Units bring their parent units and their leaders in charge.
fn close_units(units: &[quanze_domain::Unit], needed: &mut Needed) {
    let by_id: HashMap<Id, &quanze_domain::Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut pending: Vec<Id> = needed.units.iter().copied().collect();
    while let Some(id) = pending.pop() {
        let Some(unit) = by_id.get(&id) else { continue };
        needed.leaders.extend(unit.leaders_in_charge.iter().copied());
        if let Some(parent) = unit.parent {
            if needed.units.insert(parent) {
                pending.push(parent);
            }
        }
    }
}

/// Units and leaders bring their jurisdiction; jurisdictions bring the ones above them.
fn close_jurisdictions(
    parent_of: &HashMap<Id, Option<Id>>,
    units: &[quanze_domain::Unit],
    leaders: &[quanze_domain::Leader],
    needed: &mut Needed,
) {
    needed.jurisdictions.extend(units.iter().filter(|u| needed.units.contains(&u.id)).map(|u| u.jurisdiction));
    needed.jurisdictions.extend(leaders.iter().filter(|l| needed.leaders.contains(&l.id)).map(|l| l.jurisdiction));
    let mut above = Vec::new();
    for id in &needed.jurisdictions {
        let mut next = parent_of.get(id).copied().flatten();
        while let Some(parent) = next {
            if above.contains(&parent) {
                break;
            }
            above.push(parent);
            next = parent_of.get(&parent).copied().flatten();
        }
    }
    needed.jurisdictions.extend(above);
}

/// The entities a package holds, to keep only the waivers about them.
struct Subjects<'a> {
    units: &'a BTreeSet<Id>,
    leaders: &'a BTreeSet<Id>,
    lists: &'a BTreeSet<Id>,
    items: &'a BTreeSet<Id>,
    requests: &'a BTreeSet<Id>,
    jurisdictions: &'a BTreeSet<Id>,
}

impl Subjects<'_> {
    /// Whether every subject of a finding key (`rule:I12,U3`) is in the package.
    fn all_in(&self, key: &str) -> bool {
        let Some((_, subjects)) = key.split_once(':') else { return false };
        subjects.split(',').all(|part| {
            let mut chars = part.chars();
            let letter = chars.next();
            let Ok(id) = chars.as_str().parse::<Id>() else { return false };
            match letter {
                Some('I') => self.items.contains(&id),
                Some('U') => self.units.contains(&id),
                Some('L') => self.leaders.contains(&id),
                Some('C') => self.lists.contains(&id),
                Some('J') => self.jurisdictions.contains(&id),
                Some('R') => self.requests.contains(&id),
                _ => false,
            }
        })
    }
}
