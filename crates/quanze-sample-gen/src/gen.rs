//! The generator's state: the bundle under construction, id counters, the seeded random
//! source, and the record of planted problems.

use std::collections::BTreeMap;

use quanze_domain::{
    Bundle, DutyList, Id, Item, Jurisdiction, Leader, Level, ListKind, Staffing, Unit, UnitKind,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The seed of the sample district. Changing it changes every generated text.
pub const SEED: u64 = 20_250_301;

#[derive(Debug, Clone, PartialEq, Eq)]
/// One planted problem: what it is and where, for the README's table and the tests.
pub struct Planted {
    /// The brief's letter, e.g. `a`, `h2`.
    pub key: &'static str,
    /// The check rule id expected to find it (`quanze check --rule …`).
    pub rule: &'static str,
    /// The rule of `docs/domain.md` §6, in its words.
    pub brief: &'static str,
    pub what: String,
    pub location: String,
}

pub struct Gen {
    pub rng: ChaCha8Rng,
    pub bundle: Bundle,
    pub planted: Vec<Planted>,
    /// District department code (`ZJ`) → unit id.
    pub depts: BTreeMap<&'static str, Id>,
    /// Unit id → display name.
    pub unit_names: BTreeMap<Id, String>,
    next_jurisdiction: Id,
    next_unit: Id,
    next_leader: Id,
    next_list: Id,
    next_item: Id,
    next_request: Id,
    next_version: Id,
    next_waiver: Id,
}

impl Gen {
    pub fn new() -> Gen {
        Gen {
            rng: ChaCha8Rng::seed_from_u64(SEED),
            bundle: Bundle {
                title: Some("青川区示例数据（虚构）".to_string()),
                ..Bundle::default()
            },
            planted: Vec::new(),
            depts: BTreeMap::new(),
            unit_names: BTreeMap::new(),
            next_jurisdiction: 1,
            next_unit: 1,
            next_leader: 1,
            next_list: 1,
            next_item: 1,
            next_request: 1,
            next_version: 1,
            next_waiver: 1,
        }
    }

    pub fn item_id(&mut self) -> Id {
        let id = self.next_item;
        self.next_item += 1;
        id
    }

    pub fn request_id(&mut self) -> Id {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    pub fn version_id(&mut self) -> Id {
        let id = self.next_version;
        self.next_version += 1;
        id
    }

    pub fn waiver_id(&mut self) -> Id {
        let id = self.next_waiver;
        self.next_waiver += 1;
        id
    }

    pub fn jurisdiction(
        &mut self,
        parent: Option<Id>,
        name: &str,
        level: Level,
        fill: impl FnOnce(&mut Jurisdiction),
    ) -> Id {
        let id = self.next_jurisdiction;
        self.next_jurisdiction += 1;
        let mut j = Jurisdiction::new(id, parent, name, level);
        fill(&mut j);
        self.bundle.jurisdictions.push(j);
        id
    }

    pub fn unit(
        &mut self,
        jurisdiction: Id,
        name: &str,
        kind: UnitKind,
        parent: Option<Id>,
        template_slot: Option<&str>,
        staffing: Staffing,
    ) -> Id {
        let id = self.next_unit;
        self.next_unit += 1;
        self.bundle.units.push(Unit {
            parent,
            template_slot: template_slot.map(str::to_string),
            staffing,
            ..Unit::new(id, jurisdiction, name, kind)
        });
        self.unit_names.insert(id, name.to_string());
        id
    }

    pub fn unit_mut(&mut self, id: Id) -> Option<&mut Unit> {
        self.bundle.units.iter_mut().find(|u| u.id == id)
    }

    pub fn unit_name(&self, id: Id) -> String {
        self.unit_names.get(&id).cloned().unwrap_or_default()
    }

    pub fn leader(&mut self, jurisdiction: Id, name: &str, post: &str) -> Id {
        let id = self.next_leader;
        self.next_leader += 1;
        self.bundle.leaders.push(Leader {
            uid: None,
            id,
            jurisdiction,
            name: name.to_string(),
            post: post.to_string(),
            seats: Vec::new(),
        });
        id
    }

    /// Add a list; its items get their ids here and `seq` 1, 2, 3 … unless already set.
    pub fn list(
        &mut self,
        jurisdiction: Id,
        unit: Option<Id>,
        kind: ListKind,
        name: &str,
        note: Option<&str>,
        items: Vec<Item>,
    ) -> Id {
        let id = self.next_list;
        self.next_list += 1;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, mut item)| {
                if item.id == 0 {
                    item.id = self.item_id();
                }
                if item.seq.is_none() {
                    item.seq = Some((i + 1).to_string());
                }
                item
            })
            .collect();
        self.bundle.lists.push(DutyList {
            uid: None,
            id,
            jurisdiction,
            unit,
            kind,
            name: name.to_string(),
            note: note.map(str::to_string),
            items,
        });
        id
    }

    pub fn list_mut(&mut self, id: Id) -> Option<&mut DutyList> {
        self.bundle.lists.iter_mut().find(|l| l.id == id)
    }

    /// Append an item to a list, numbering it after the last one.
    pub fn push_item(&mut self, list: Id, mut item: Item) -> Id {
        if item.id == 0 {
            item.id = self.item_id();
        }
        let id = item.id;
        if let Some(l) = self.list_mut(list) {
            item.seq = Some((l.items.len() + 1).to_string());
            l.items.push(item);
        }
        id
    }

    pub fn dept(&self, code: &str) -> Id {
        self.depts.get(code).copied().unwrap_or(0)
    }

    pub fn dept_name(&self, code: &str) -> String {
        self.unit_name(self.dept(code))
    }
}
